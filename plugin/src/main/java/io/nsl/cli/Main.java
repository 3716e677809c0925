package io.nsl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code ./nsl <command>}. Every command has {@code --help}. */
@Command(
    name = "nsl",
    mixinStandardHelpOptions = true,
    version = "Neo Service Layer 0.1.0",
    description = "Neo Service Layer: confidential off-chain JavaScript execution for Neo N3.")
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** Builds the command tree; tests drive the CLI through this. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.addSubcommand(new DemoCommand());
    cli.addSubcommand(new DevnetCommand());
    cli.addSubcommand(new RunCommand());
    cli.addSubcommand(new AttestationCommand());
    cli.addSubcommand(new FunctionCommand());
    cli.getSubcommands().get("function").addSubcommand(new FunctionRegisterCommand());
    cli.addSubcommand(new SecretCommand());
    cli.addSubcommand(new RequestCommand());
    cli.addSubcommand(new StatusCommand());
    cli.addSubcommand(new KeysCommand());
    cli.addSubcommand(new ClusterCommand());
    cli.addSubcommand(new GatewayCommand());
    cli.addSubcommand(new TriggerCommand());
    ErrorHandler errors = new ErrorHandler(cli.getParameterExceptionHandler());
    cli.setExecutionExceptionHandler(errors);
    cli.setParameterExceptionHandler(errors);
    return cli;
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}

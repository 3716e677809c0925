import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Value;

/**
 * Does this GraalJS run compiled on this JVM? Prints the engine's implementation name
 * ("Interpreted" when Truffle fell back to its interpreter; Truffle prints why on stderr) and the
 * wall time of six rounds of one hot loop, which drops once the JIT has compiled it. Run by
 * probe.sh with the same JVM flags as config/jvm.options (decision 0711).
 */
public class Probe {
  public static void main(String[] args) {
    try (Engine engine = Engine.newBuilder("js").build();
        Context context = Context.newBuilder("js").engine(engine).build()) {
      System.out.println("implementation: " + engine.getImplementationName());
      Value f =
          context.eval(
              "js",
              "(function (n) { let s = 0; for (let i = 0; i < n; i++) s = (s + i * i) % 1000003;"
                  + " return s; })");
      StringBuilder rounds = new StringBuilder("ms per round of 1,000 calls:");
      for (int r = 0; r < 6; r++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
          f.execute(10000);
        }
        rounds.append(' ').append((System.nanoTime() - t0) / 1_000_000);
      }
      System.out.println(rounds);
    }
  }
}

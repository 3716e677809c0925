package io.nsl.js;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nsl.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/functions.md's gas table and memory table say what GasTable and MemoryBudget say. */
class GasTableDocTest {
  private static String section(String heading) throws IOException {
    String doc = Files.readString(ProjectRoot.find().resolve("docs/functions.md"));
    int start = doc.indexOf("\n## " + heading + "\n");
    assertTrue(start >= 0, "docs/functions.md has no section " + heading);
    int end = doc.indexOf("\n## ", start + 1);
    return doc.substring(start, end < 0 ? doc.length() : end);
  }

  private static String n(long v) {
    return String.format(java.util.Locale.ROOT, "%,d", v);
  }

  @Test
  void gasTableRowsAreGasTablesPrices() throws IOException {
    String table = section("Gas table");
    for (String row :
        List.of(
            "| " + n(GasTable.STATEMENT) + " |",
            "| each execution (context, prelude, result) | " + n(GasTable.EXECUTION_BASE) + " |",
            "fetch URL/headers/bodies | " + n(GasTable.PER_BYTE) + " |",
            "| `log`, `crypto.*` (fixed, before bytes) | " + n(GasTable.HOST_CALL) + " |",
            "| `getSecret` | " + n(GasTable.SECRET_GET) + " |",
            "`storage.list` | " + n(GasTable.STATE_READ) + " |",
            "| `storage.put` | " + n(GasTable.STATE_WRITE) + " |",
            "| `fetch` | " + n(GasTable.FETCH) + " |",
            "| built-in work: each "
                + GasTable.CHARS_PER_GAS
                + " characters a built-in below builds or scans | 1 |",
            "| built-in work: each "
                + GasTable.ELEMENTS_PER_GAS
                + " elements a built-in below touches (array, typed array, sort) | 1 |",
            "| built-in work: each property a built-in below defines on an object"
                + " (`Object.assign`, `Object.fromEntries`) | "
                + n(GasTable.PROPERTY_DEFINED)
                + " |",
            "chunks of " + n(GasTable.WORK_FLUSH_UNITS) + " characters or elements",
            "(" + (GasTable.WORK_FLUSH_BYTES / 1024) + " KiB of memory)",
            "| e: its elements past the first " + GasTable.SYNTAX_FREE_ELEMENTS + " |",
            "The first " + GasTable.SYNTAX_FREE_ELEMENTS + " elements, arguments or",
            "| 1 per " + GasTable.BIGINT_BITS_PER_GAS + " bits of the result |",
            "the first " + GasTable.SYNTAX_FREE_CHARS + " characters of a comparison are free",
            "(else nothing), past the first " + GasTable.SYNTAX_FREE_CHARS + " |",
            "| c: the shorter length, past the first " + GasTable.SYNTAX_FREE_CHARS + " |",
            "`i - a.length`, counted up to "
                + n(GasTable.STORE_HOLES_COUNTED)
                + "; none are free |",
            "stored before (or found at its first or last index), counted up to "
                + n(GasTable.STORE_HOLES_COUNTED)
                + ", past the first "
                + GasTable.SYNTAX_FREE_ELEMENTS
                + " |",
            "or first stored into at a length of " + n(GasTable.STORE_PROBED_LENGTH) + " or more |",
            "of a length (or up to an index) of "
                + n(GasTable.STORE_PROBED_LENGTH)
                + " or more and under "
                + n(GasTable.FLAT_ARRAY_ELEMENTS)
                + " (`new Array(n)`",
            "[Symbol.replace]`, which they call) | "
                + n(GasTable.REGEX_REPLACE_MATCH)
                + " gas per match replaced, on top of the characters above |",
            "(`RegExp.prototype[Symbol.match]`) | "
                + n(GasTable.REGEX_MATCH)
                + " gas per match, on top of the characters above |",
            "(`RegExp.prototype[Symbol.split]`) | "
                + n(GasTable.REGEX_MATCH)
                + " gas per character of the string",
            "each step (`next`) of a `matchAll` iterator | " + n(GasTable.REGEX_MATCH) + " gas",
            "| e: the rest array's elements past the first "
                + GasTable.SYNTAX_FREE_ELEMENTS
                + " |")) {
      assertTrue(table.contains(row), "the gas table should contain: " + row);
    }
  }

  @Test
  void memoryTableRowsAreMemoryBudgetsSizes() throws IOException {
    String table = section("Memory budget");
    for (String row :
        List.of(
            "each `new` in your code | " + MemoryBudget.OBJECT_BYTES + " |",
            "with the scope it keeps) | " + MemoryBudget.FUNCTION_BYTES + " |",
            "or when your code's first store into an array of "
                + n(GasTable.STORE_PROBED_LENGTH)
                + " to "
                + n(GasTable.FLAT_ARRAY_ELEMENTS - 1)
                + " holes and no element makes GraalJS allocate them all) | "
                + MemoryBudget.ELEMENT_BYTES
                + " |",
            "(`repeat`, `padStart`, `join`, `JSON.stringify`, `replace`, ...) | "
                + MemoryBudget.CHAR_BYTES
                + " |",
            "`Set` (`add`) | " + MemoryBudget.ENTRY_BYTES + " |",
            "`s += s` counts `s.length`) | " + MemoryBudget.CHAR_BYTES + " |",
            "each `{` or `[` of the text ("
                + MemoryBudget.OBJECT_BYTES
                + "), each `,` or `:` between values ("
                + MemoryBudget.ELEMENT_BYTES
                + "), each character inside a string ("
                + MemoryBudget.CHAR_BYTES
                + ")",
            "Each execution may allocate "
                + (ExecutionLimits.DEFAULT_MEMORY_BYTES >> 20)
                + " MiB")) {
      assertTrue(table.contains(row), "the memory table should contain: " + row);
    }
  }
}

// A stand-in for the external ABACUS program, for the plugin's tests only: it follows
// ABACUS's command line (-design -dir <db> -in <in.pdb> -out <out.pdb>) and Biohub's
// success rule (exit 0 and "ENERGY" on stdout), but designs nothing: it names every
// residue ALA. A REMARK in the input picks a failure to act out:
//   REMARK STANDIN FAIL       exits 2 with a message on stderr
//   REMARK STANDIN NOENERGY   writes the output, exits 0, prints no ENERGY
//   REMARK STANDIN SLOW <tag> writes its pid to <db>/pid-<tag>, then sleeps for 10 minutes
import java.nio.file.*;
import java.util.*;

public class StandInAbacus {
  public static void main(String[] args) throws Exception {
    List<String> a = Arrays.asList(args);
    if (a.size() != 7 || !a.get(0).equals("-design") || !a.get(1).equals("-dir") || !a.get(3).equals("-in") || !a.get(5).equals("-out")) {
      System.err.println("usage: -design -dir <db> -in <in.pdb> -out <out.pdb>");
      System.exit(64);
    }
    Path db = Paths.get(a.get(2)), in = Paths.get(a.get(4)), out = Paths.get(a.get(6));
    if (!Files.isDirectory(db)) { System.err.println("no database at " + db); System.exit(66); }
    String pdb = Files.readString(in);
    if (pdb.contains("REMARK STANDIN FAIL")) { System.err.println("cannot design this backbone"); System.exit(2); }
    int slow = pdb.indexOf("REMARK STANDIN SLOW ");
    if (slow >= 0) {
      String tag = pdb.substring(slow + 20).split("\\s")[0];
      Files.writeString(db.resolve("pid-" + tag), Long.toString(ProcessHandle.current().pid()));
      Thread.sleep(600_000);
    }
    StringBuilder designed = new StringBuilder();
    for (String line : pdb.split("\n")) {
      if (line.startsWith("ATOM") && line.length() > 20) line = line.substring(0, 17) + "ALA" + line.substring(20);
      designed.append(line).append('\n');
    }
    Files.writeString(out, designed.toString());
    System.out.println("designing " + in.getFileName());
    if (!pdb.contains("REMARK STANDIN NOENERGY")) System.out.println("ENERGY -42.5");
  }
}

import dev.anytimenn.eval.report.ErrorCostPlot;
import dev.anytimenn.eval.report.ExitResult;
import dev.anytimenn.eval.report.ReportFiles;
import dev.anytimenn.eval.report.RunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Puts several runs' per-exit results side by side: a Markdown table and one error-vs-cost plot.
 * Arguments: OUT_DIR TITLE NAME=RUN_DIR...
 */
public class CompareRuns {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        String title = args[1];
        Files.createDirectories(out);
        StringBuilder md = new StringBuilder("# " + title + "\n\n");
        List<ErrorCostPlot.Series> series = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String name = args[i].substring(0, args[i].indexOf('='));
            Path run = Path.of(args[i].substring(args[i].indexOf('=') + 1));
            RunReport report = ReportFiles.readJson(run.resolve(ReportFiles.JSON));
            series.add(ErrorCostPlot.Series.ofExits(name, report.exits(), false));
            md.append("## ").append(name).append("\n\n");
            md.append("Config: `").append(report.config().get("model")).append("`, ")
                    .append(report.config().get("training").get("epochs")).append(" epochs, training ")
                    .append(String.format(Locale.ROOT, "%.0f s", report.trainingSeconds())).append(".\n\n");
            md.append("| Exit | After unit | Cumulative MMACs | % of full cost | Test accuracy |\n|---:|---:|---:|---:|---:|\n");
            double full = report.fullCostMacs();
            for (ExitResult e : report.exits()) {
                md.append(String.format(Locale.ROOT, "| %d | %d | %.3f | %.1f | %.2f %% |%n", e.index(), e.afterUnit(),
                        e.cumulativeMacs() / 1e6, 100 * e.cumulativeMacs() / full, 100 * e.testAccuracy()));
            }
            md.append('\n');
            Files.copy(run.resolve(ReportFiles.JSON), out.resolve(name + ".report.json"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        md.append("![comparison](comparison.png)\n");
        Files.writeString(out.resolve("README.md"), md.toString());
        ErrorCostPlot.write(title, series, out.resolve("comparison.png"), out.resolve("comparison.svg"));
        System.out.print(md);
    }
}

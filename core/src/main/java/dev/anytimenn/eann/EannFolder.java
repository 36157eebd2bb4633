package dev.anytimenn.eann;

import ai.djl.Device;
import dev.anytimenn.eval.report.ReportFiles;
import dev.anytimenn.eval.report.RunReport;
import dev.anytimenn.infer.AnytimePredictor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An EANN folder that {@code eann train} wrote: its config, its plan and its members as one predictor. */
public record EannFolder(Path dir, EannConfig config, EannPlan plan) {

    public static EannFolder open(Path dir) throws IOException {
        EannConfig config = EannConfig.load(dir.resolve(EannPlan.CONFIG));
        return new EannFolder(dir, config, EannPlan.of(config));
    }

    /** The members, in running order, answering as the schedule chosen on their validation errors says. */
    public EannPredictor predictor(Device device) throws IOException {
        List<String> names = new ArrayList<>();
        List<RunReport> reports = new ArrayList<>();
        for (EannPlan.Job j : plan.members()) {
            Path run = EannPlan.runDir(dir, j);
            names.add(j.config().name());
            reports.add(ReportFiles.readJson(run.resolve(ReportFiles.JSON)));
        }
        List<AnytimePredictor> members = new ArrayList<>();
        try {
            for (EannPlan.Job j : plan.members()) {
                members.add(AnytimePredictor.open(EannPlan.runDir(dir, j), device));
            }
            return new EannPredictor(members, EannResults.schedule(names, reports));
        } catch (IOException | RuntimeException e) {
            members.forEach(AnytimePredictor::close);
            throw e;
        }
    }
}

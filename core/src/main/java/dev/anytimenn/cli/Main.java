package dev.anytimenn.cli;

import dev.anytimenn.data.DataFormatException;
import dev.anytimenn.data.MissingDataException;
import dev.anytimenn.engine.EngineFaultException;
import dev.anytimenn.train.TrainingDivergedException;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code anytime} command line. */
@Command(name = "anytime", mixinStandardHelpOptions = true, version = "anytime-nn 0.1.0",
        description = "Anytime neural networks: train, evaluate and run networks with early exits.",
        subcommands = {DemoCommand.class, TrainCommand.class, EvalCommand.class, PredictCommand.class, ExportCommand.class,
            StudyCommand.class, EannCommand.class, SelfCheckCommand.class, ServeCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (for tests: nothing here calls System.exit). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handle);
        return cli.execute(args);
    }

    /** One line on stderr for expected failures; the stack trace only with --verbose. */
    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        boolean verbose = parsed.hasMatchedOption("--verbose") || subcommandVerbose(parsed);
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        err.println("error: " + message);
        if (verbose) {
            e.printStackTrace(err);
        } else if (!isExpected(e)) {
            err.println("(run with --verbose for details)");
        }
        err.flush();
        return 1;
    }

    private static boolean subcommandVerbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isExpected(Exception e) {
        return e instanceof IOException || e instanceof IllegalArgumentException
                || e instanceof DataFormatException || e instanceof MissingDataException
                || e instanceof TrainingDivergedException || e instanceof EngineFaultException;
    }
}

package za.co.personalisation.local.emulator;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project's root folder (the one holding template.yaml) from wherever a test or the runtime starts. */
public final class ProjectRoot {

    private ProjectRoot() {
    }

    /**
     * The {@code project.root} system property when set, else the nearest folder at or above the working directory
     * that holds both {@code template.yaml} and {@code local/moto/moto_runner.py}.
     */
    public static Path find() {
        String configured = System.getProperty("project.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml"))
                && Files.isRegularFile(dir.resolve("local/moto/moto_runner.py"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the project root (a folder with template.yaml and"
            + " local/moto/moto_runner.py) at or above " + start + "; set -Dproject.root=<path>");
    }
}

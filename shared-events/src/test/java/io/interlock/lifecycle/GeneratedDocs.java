package io.interlock.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Keeps a generated document in {@code docs/} equal to what the code renders today. A stale file
 * fails the build with the command that rewrites it, so fixing it is one command and a commit.
 */
public final class GeneratedDocs {

    public static final String WRITE = "interlock.docs.write";

    private GeneratedDocs() {
    }

    /**
     * Fails unless {@code relativePath} (from the repository root) holds {@code rendered}; with
     * {@code -Dinterlock.docs.write=true} it writes the file instead.
     */
    public static void assertCurrent(String relativePath, String rendered, Class<?> test) {
        Path file = repositoryRoot().resolve(relativePath);
        try {
            if (Boolean.getBoolean(WRITE)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, rendered);
                return;
            }
            String regenerate = "Regenerate it with: mvn -o -B -pl shared-events test -Dtest="
                    + test.getSimpleName() + " -D" + WRITE + "=true, then review and commit the result.";
            if (!Files.exists(file)) {
                fail(relativePath + " is missing. " + regenerate);
            }
            // A checkout with CRLF line endings holds the same document.
            String committed = Files.readString(file).replace("\r\n", "\n");
            if (!committed.equals(rendered)) {
                fail(relativePath + " is stale: " + firstDifference(committed, rendered) + "\n" + regenerate);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstDifference(String committed, String rendered) {
        String[] was = committed.split("\n", -1);
        String[] now = rendered.split("\n", -1);
        for (int line = 0; line < Math.max(was.length, now.length); line++) {
            String a = line < was.length ? was[line] : "(end of file)";
            String b = line < now.length ? now[line] : "(end of file)";
            if (!a.equals(b)) {
                return "line " + (line + 1) + " is\n    " + a + "\nbut the table renders\n    " + b;
            }
        }
        return "they differ";
    }

    /**
     * Maven runs tests in the module's directory, an IDE often in the repository's; walk up to
     * the directory whose pom lists shared-events as a module.
     */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            Path pom = candidate.resolve("pom.xml");
            try {
                if (Files.isDirectory(candidate.resolve("docs")) && Files.isRegularFile(pom)
                        && Files.readString(pom).contains("<module>shared-events</module>")) {
                    return candidate;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException(
                "No repository root (a pom.xml listing shared-events, next to docs/) above " + dir);
    }
}

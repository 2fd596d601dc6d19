package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.lab.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first {@code bin/tandem} of a fresh checkout builds the jar: a copy of this checkout without
 * target/ (and without the tests, which the quiet build would compile too), built for real with
 * Maven. Its output says that it builds and nothing else: no terminal escapes (issue 17).
 */
class FirstRunBuildTest {
    @TempDir
    Path copy;

    @Test
    void the_first_run_builds_quietly_without_terminal_escapes() throws Exception {
        assumeTrue(TestProcesses.onPath("mvn"), "skipped: mvn is not on the PATH");
        for (String part : List.of("pom.xml", "bin", "libexec", "packaging", "src/main", "examples")) {
            copyTree(TestProcesses.CHECKOUT.resolve(part), copy.resolve(part));
        }
        ExecResult r = TestProcesses.run(List.of(copy.resolve("bin/tandem").toString(), "version"),
                Map.of("MAVEN_OPTS", "-Dmaven.repo.local=" + System.getProperty("user.home") + "/.m2/repository"), copy);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(copy.resolve("target/tandem.jar")).exists();
        assertThat(r.stderr()).isEqualTo("tandem: building " + copy.resolve("target/tandem.jar") + " (first run) ...\n");
        assertThat(r.stdout()).startsWith("tandem ").doesNotContain("\u001b");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}

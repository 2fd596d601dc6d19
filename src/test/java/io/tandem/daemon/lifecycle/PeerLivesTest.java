package io.tandem.daemon.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.membership.PeerLife;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tandem-peers file: written off the caller's thread, complete after close, read back at the next start. */
class PeerLivesTest {
    @TempDir
    Path dir;

    @Test
    void whatIsRecordedIsReadBackAfterARestart() throws Exception {
        List<String> problems = new ArrayList<>();
        try (PeerLives lives = PeerLives.load(dir, Set.of("node2"), problems)) {
            lives.update(new PeerLife("node2", 1795967741, 0, false));
            lives.update(new PeerLife("node2", 1795967741, 40, true));
        }
        assertThat(Files.readString(dir.resolve(PeerLives.FILE))).isEqualTo("node2 1795967741 40 ended\n");
        try (PeerLives again = PeerLives.load(dir, Set.of("node2"), problems)) {
            assertThat(again.lives()).containsExactly(new PeerLife("node2", 1795967741, 40, true));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void badLinesAndOtherNodesAreDroppedAndNamed() throws Exception {
        Files.writeString(dir.resolve(PeerLives.FILE), "node2 12 7 live\nnode2 x 7 live\nnode9 1 1 live\n");
        List<String> problems = new ArrayList<>();
        try (PeerLives lives = PeerLives.load(dir, Set.of("node2"), problems)) {
            assertThat(lives.lives()).containsExactly(new PeerLife("node2", 12, 7, false));
        }
        assertThat(problems).hasSize(1).allMatch(p -> p.contains(PeerLives.FILE + ":2: ignored"));
    }

    @Test
    void aFailedWriteIsReportedOnce() throws Exception {
        Path missing = dir.resolve("no-such-dir");
        List<String> failures = new ArrayList<>();
        try (PeerLives lives = PeerLives.load(missing, Set.of("node2"), new ArrayList<>())) {
            lives.onWriteFailure(failures::add);
            lives.update(new PeerLife("node2", 1, 1, false));
            lives.update(new PeerLife("node2", 1, 2, false));
        }
        assertThat(failures).hasSize(1).allMatch(f -> f.startsWith("Cannot record what we know of the peers"));
    }
}

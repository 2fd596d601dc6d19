package io.tandem.daemon.agent;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real file system: a regular, executable file (heartbeat's {@code [ -f p -a -x p ]}). */
public final class FileAgentCatalog implements AgentCatalog {
    @Override
    public boolean executable(String path) {
        Path p = Path.of(path);
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }
}

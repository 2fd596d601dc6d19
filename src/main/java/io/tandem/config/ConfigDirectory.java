package io.tandem.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The one adapter that reads files: ha.cf, authkeys (with its permission bits), haresources and Tandem's
 * optional tandem-monitor.cf and tandem.cf of a configuration directory ({@code /etc/ha.d} by default). Bytes are read as ISO-8859-1, one char per
 * byte, as heartbeat's C parser sees them.
 */
public final class ConfigDirectory {
    public static final Path DEFAULT = Path.of("/etc/ha.d");
    /** Tandem's optional resource-monitoring settings, beside heartbeat's files (heartbeat ignores it). */
    public static final String MONITOR_FILE = "tandem-monitor.cf";

    private ConfigDirectory() {
    }

    public static ClusterConfig load(Path dir) {
        Path haCf = dir.resolve("ha.cf");
        Path authkeys = dir.resolve("authkeys");
        Path haresources = dir.resolve("haresources");
        String haCfText = read(haCf, "Cannot open config file [" + haCf + "]");
        String keysText = read(authkeys, "Cannot open keyfile [" + authkeys + "].  Stop.");
        int mode = mode(authkeys);
        String resText = read(haresources, "Cannot open resources file [" + haresources + "]");
        ClusterConfig config = ClusterConfig.parse(haCf.toString(), haCfText, authkeys.toString(), keysText, mode,
                haresources.toString(), resText);
        Path monitor = dir.resolve(MONITOR_FILE);
        if (Files.exists(monitor)) {
            config = config.withMonitor(MonitorCfParser.parse(monitor.toString(),
                    read(monitor, "Cannot open monitoring file [" + monitor + "]")));
        }
        Path tandem = dir.resolve(TandemCf.FILE);
        if (Files.exists(tandem)) {
            config = config.withTandem(TandemCfParser.parse(tandem.toString(),
                    read(tandem, "Cannot open Tandem's settings file [" + tandem + "]")));
            ResourceModes.check(config.tandem(), config.haResources());
        }
        return config;
    }

    private static String read(Path file, String cannotOpen) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), 0, cannotOpen);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), 0, cannotOpen + " (" + e.getMessage() + ")");
        }
    }

    /** The permission bits; a file system without POSIX permissions counts as 0600. */
    private static int mode(Path file) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return 0600;
        } catch (IOException e) {
            throw new ConfigException(file.toString(), 0, "Cannot open keyfile [" + file + "].  Stop. ("
                    + e.getMessage() + ")");
        }
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal());
        }
        return mode;
    }
}

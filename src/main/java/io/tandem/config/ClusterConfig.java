package io.tandem.config;

import java.util.List;
import java.util.Objects;

/**
 * The files of a configuration directory, parsed, with every notice they produced: heartbeat's three
 * and Tandem's optional {@code tandem-monitor.cf} ({@link MonitorCf#ABSENT} when there is none).
 */
public record ClusterConfig(HaCf haCf, AuthKeys authKeys, HaResources haResources, List<Notice> notices, MonitorCf monitor) {
    public ClusterConfig {
        Objects.requireNonNull(haCf, "haCf");
        Objects.requireNonNull(authKeys, "authKeys");
        Objects.requireNonNull(haResources, "haResources");
        Objects.requireNonNull(monitor, "monitor");
        notices = List.copyOf(notices);
    }

    public ClusterConfig(HaCf haCf, AuthKeys authKeys, HaResources haResources, List<Notice> notices) {
        this(haCf, authKeys, haResources, notices, MonitorCf.ABSENT);
    }

    public ClusterConfig withMonitor(MonitorCf m) {
        return new ClusterConfig(haCf, authKeys, haResources, notices, m);
    }

    /** Parses the three texts; {@code authkeysMode} is the authkeys file's permission bits. */
    public static ClusterConfig parse(String haCfName, String haCfText, String authkeysName, String authkeysText,
            int authkeysMode, String haresourcesName, String haresourcesText) {
        // each file is read even when an earlier one is wrong: every error in one run
        java.util.List<ConfigException> errors = new java.util.ArrayList<>();
        HaCf cf = null;
        AuthKeys keys = null;
        HaResources res = null;
        try {
            cf = HaCfParser.parse(haCfName, haCfText);
        } catch (ConfigException e) {
            errors.add(e);
        }
        try {
            keys = AuthKeysParser.parse(authkeysName, authkeysText, authkeysMode);
        } catch (ConfigException e) {
            errors.add(e);
        }
        try {
            res = HaResourcesParser.parse(haresourcesName, haresourcesText);
        } catch (ConfigException e) {
            errors.add(e);
        }
        if (!errors.isEmpty()) {
            throw ConfigException.of(errors);
        }
        return new ClusterConfig(cf, keys, res, cf.notices());
    }
}

package io.tandem.config;

import java.util.List;
import java.util.Objects;

/**
 * The files of a configuration directory, parsed, with every notice they produced: heartbeat's three,
 * Tandem's optional {@code tandem-monitor.cf} ({@link MonitorCf#ABSENT} when there is none) and Tandem's
 * optional {@code tandem.cf} ({@link TandemCf#DEFAULTS} when there is none).
 */
public record ClusterConfig(HaCf haCf, AuthKeys authKeys, HaResources haResources, List<Notice> notices, MonitorCf monitor,
                            TandemCf tandem) {
    public ClusterConfig {
        Objects.requireNonNull(haCf, "haCf");
        Objects.requireNonNull(authKeys, "authKeys");
        Objects.requireNonNull(haResources, "haResources");
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(tandem, "tandem");
        notices = List.copyOf(notices);
    }

    public ClusterConfig(HaCf haCf, AuthKeys authKeys, HaResources haResources, List<Notice> notices, MonitorCf monitor) {
        this(haCf, authKeys, haResources, notices, monitor, TandemCf.DEFAULTS);
    }

    public ClusterConfig(HaCf haCf, AuthKeys authKeys, HaResources haResources, List<Notice> notices) {
        this(haCf, authKeys, haResources, notices, MonitorCf.ABSENT);
    }

    public ClusterConfig withMonitor(MonitorCf m) {
        return new ClusterConfig(haCf, authKeys, haResources, notices, m, tandem);
    }

    public ClusterConfig withTandem(TandemCf t) {
        return new ClusterConfig(haCf, authKeys, haResources, notices, monitor, t);
    }

    /**
     * Whether the ping-node tiebreak acts (docs/split-brain.md): tandem.cf's {@code ping_tiebreak} (default
     * on) and at least one {@code ping} or {@code ping_group} in ha.cf.
     */
    public boolean pingTiebreakActive() {
        return tandem.pingTiebreak() && !haCf.pingNodes().isEmpty();
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

package io.tandem.config;

import java.util.List;
import java.util.Objects;

/** The three files of a configuration directory, parsed, with every notice they produced. */
public record ClusterConfig(HaCf haCf, AuthKeys authKeys, HaResources haResources, List<Notice> notices) {
    public ClusterConfig {
        Objects.requireNonNull(haCf, "haCf");
        Objects.requireNonNull(authKeys, "authKeys");
        Objects.requireNonNull(haResources, "haResources");
        notices = List.copyOf(notices);
    }

    /** Parses the three texts; {@code authkeysMode} is the authkeys file's permission bits. */
    public static ClusterConfig parse(String haCfName, String haCfText, String authkeysName, String authkeysText,
            int authkeysMode, String haresourcesName, String haresourcesText) {
        HaCf cf = HaCfParser.parse(haCfName, haCfText);
        AuthKeys keys = AuthKeysParser.parse(authkeysName, authkeysText, authkeysMode);
        HaResources res = HaResourcesParser.parse(haresourcesName, haresourcesText);
        return new ClusterConfig(cf, keys, res, cf.notices());
    }
}

package io.tandem.config;

import java.util.Locale;

/** {@code autojoin}: none (default), other or any. Anything but none conflicts with haresources. */
public enum AutoJoin {
    NONE, OTHER, ANY;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}

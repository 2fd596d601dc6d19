package io.tandem.config;

/**
 * Writes a {@link HaCf} back as ha.cf text heartbeat reads. Every value Tandem acts on is written
 * explicitly (derived timers included), so parsing the text gives the same settings.
 */
public final class HaCfPrinter {
    private HaCfPrinter() {
    }

    public static String print(HaCf cf) {
        StringBuilder out = new StringBuilder();
        cf.logfile().ifPresent(v -> line(out, "logfile", v));
        cf.debugfile().ifPresent(v -> line(out, "debugfile", v));
        cf.logfacility().ifPresent(v -> line(out, "logfacility", v));
        line(out, "keepalive", TimeValue.format(cf.keepaliveMs()));
        line(out, "deadtime", TimeValue.format(cf.deadtimeMs()));
        line(out, "warntime", TimeValue.format(cf.warntimeMs()));
        line(out, "initdead", TimeValue.format(cf.initdeadMs()));
        line(out, "deadping", TimeValue.format(cf.deadpingMs()));
        line(out, "udpport", Integer.toString(cf.udpport()));
        for (MediumConfig m : cf.media()) {
            out.append(m.line()).append('\n');
        }
        for (String node : cf.nodes()) {
            line(out, "node", node);
        }
        line(out, "auto_failback", cf.autoFailback().word());
        line(out, "msgfmt", cf.msgfmt().word());
        line(out, "autojoin", cf.autojoin().word());
        line(out, "realtime", Boolean.toString(cf.realtime()));
        line(out, "debug", Integer.toString(cf.debugLevel()));
        for (Respawn r : cf.respawns()) {
            line(out, "respawn", r.user() + " " + r.command());
        }
        for (StonithDevice d : cf.fencing().devices()) {
            out.append(d.directive()).append('\n');
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String directive, String value) {
        out.append(directive).append(' ').append(value).append('\n');
    }
}

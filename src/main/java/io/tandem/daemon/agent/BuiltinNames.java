package io.tandem.daemon.agent;

/** The scripts Tandem has a built-in replacement for. */
public final class BuiltinNames {
    public static final String IPADDR = "IPaddr";
    public static final String IPADDR2 = "IPaddr2";
    /** Tandem-only: a tiny web server in the daemon for the no-root demo ({@code DemoWeb::address::port}). */
    public static final String DEMO_WEB = "DemoWeb";

    private BuiltinNames() {
    }

    public static boolean isBuiltin(String script) {
        return isIpAddr(script) || DEMO_WEB.equals(script);
    }

    public static boolean isIpAddr(String script) {
        return IPADDR.equals(script) || IPADDR2.equals(script);
    }
}

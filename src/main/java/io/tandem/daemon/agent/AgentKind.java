package io.tandem.daemon.agent;

/** How an agent is called and how its status is judged. */
public enum AgentKind {
    /** {@code /etc/ha.d/resource.d/NAME args… start|stop|status}; status judged by its output text. */
    HEARTBEAT_SCRIPT,
    /** {@code /etc/init.d/NAME args… start|stop|status}; status judged by LSB exit codes (0 running, 1–3 stopped). */
    LSB,
    /** {@code $OCF_ROOT/resource.d/PROVIDER/TYPE start|stop|monitor} with {@code OCF_RESKEY_*}; monitor 0 running, 7 stopped. */
    OCF,
    /** Tandem's own IPaddr/IPaddr2, used only when no script of that name is installed. */
    BUILTIN
}

package io.tandem.bench;

/**
 * A timer profile: the ha.cf timers for Tandem and heartbeat, and keepalived's equivalent (an
 * advertisement interval and a master-down interval of {@code downTimerAdverts} adverts).
 */
record Profile(String name, String haCfTimers, String advertInt, int vrrpVersion, int downTimerAdverts, String description) {
    /** The seed's timers (keepalive 2 / deadtime 15); keepalived: advert_int 1, master down after 15 adverts. */
    static final Profile SEED = new Profile("seed", "keepalive 2\ndeadtime 15\nwarntime 10\ninitdead 30\n", "1", 2, 15,
            "keepalive 2 s, deadtime 15 s, warntime 10 s, initdead 30 s; keepalived VRRPv2 advert_int 1, down_timer_adverts 15");
    /** Fast timers (keepalive 100ms / deadtime 500ms); keepalived: VRRPv3 advert_int 0.1, master down after 5 adverts. */
    static final Profile FAST = new Profile("fast", "keepalive 100ms\ndeadtime 500ms\nwarntime 300ms\ninitdead 2\n", "0.1", 3, 5,
            "keepalive 100 ms, deadtime 500 ms, warntime 300 ms, initdead 2 s; keepalived VRRPv3 advert_int 0.1, down_timer_adverts 5");
}

package io.tandem.daemon.node;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT mean "stop gracefully", as for heartbeat: give the groups to the peer, say
 * goodbye, exit. The JVM's own handlers would exit at once (running shutdown hooks), which would
 * leave resources running and the peer waiting a deadtime.
 */
final class Signals {
    private Signals() {
    }

    /** SIGHUP: reload the configuration, as heartbeat does. */
    static void onHup(Runnable reload) {
        Signal.handle(new Signal("HUP"), s -> reload.run());
    }

    static void onTerm(Runnable stop) {
        Signal.handle(new Signal("TERM"), s -> stop.run());
        Signal.handle(new Signal("INT"), s -> stop.run());
    }
}

package io.tandem.config;

import java.util.List;
import java.util.Objects;

/** One heartbeat medium of ha.cf (docs/protocol.md 3): each device or host of a media line is one medium. */
public sealed interface MediumConfig {
    /** The ha.cf line that declares exactly this medium. */
    String line();

    /** {@code bcast DEV}: broadcast on DEV to {@code udpport}. */
    record Bcast(String device) implements MediumConfig {
        public Bcast {
            Objects.requireNonNull(device, "device");
        }

        @Override
        public String line() {
            return "bcast " + device;
        }
    }

    /** {@code mcast DEV GROUP PORT TTL LOOP}: the port is this line's, not {@code udpport}. */
    record Mcast(String device, String group, int port, int ttl, boolean loop) implements MediumConfig {
        public Mcast {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(group, "group");
        }

        @Override
        public String line() {
            return "mcast " + device + " " + group + " " + port + " " + ttl + " " + (loop ? 1 : 0);
        }
    }

    /** {@code ucast DEV PEER}: unicast to PEER (IPv4 address or name) on {@code udpport}. */
    record Ucast(String device, String peer) implements MediumConfig {
        public Ucast {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(peer, "peer");
        }

        @Override
        public String line() {
            return "ucast " + device + " " + peer;
        }
    }

    /** {@code ping HOST}: one ping node named HOST. */
    record Ping(String host) implements MediumConfig {
        public Ping {
            Objects.requireNonNull(host, "host");
        }

        @Override
        public String line() {
            return "ping " + host;
        }
    }

    /** {@code ping_group NAME HOST...}: one ping node NAME, alive while any host answers. */
    record PingGroup(String name, List<String> hosts) implements MediumConfig {
        public PingGroup {
            Objects.requireNonNull(name, "name");
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("ping_group " + name + " has no hosts");
            }
        }

        @Override
        public String line() {
            return "ping_group " + name + " " + String.join(" ", hosts);
        }
    }
}

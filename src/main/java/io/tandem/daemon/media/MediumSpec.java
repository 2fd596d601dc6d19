package io.tandem.daemon.media;

import java.util.List;
import java.util.Objects;

/** One medium to open, as the ha.cf media directives describe it. */
public sealed interface MediumSpec {
    /** {@code bcast DEV}: one spec per device of a {@code bcast} line; port is {@code udpport}. */
    record Bcast(String device) implements MediumSpec {
        public Bcast {
            Objects.requireNonNull(device, "device");
        }
    }

    /** {@code mcast DEV GROUP PORT TTL LOOP}: the port comes from this line, not from {@code udpport}. */
    record Mcast(String device, String group, int port, int ttl, boolean loop) implements MediumSpec {
        public Mcast {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(group, "group");
        }
    }

    /** {@code ucast DEV PEER}: unicast to PEER (IPv4 address or name) on port {@code udpport}. */
    record Ucast(String device, String peer) implements MediumSpec {
        public Ucast {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(peer, "peer");
        }
    }

    /** {@code ping HOST}: one ping node named HOST; one spec per host of a {@code ping} line. */
    record Ping(String host) implements MediumSpec {
        public Ping {
            Objects.requireNonNull(host, "host");
        }
    }

    /** {@code ping_group NAME HOST...}: one ping node NAME, alive while any host answers. */
    record PingGroup(String name, List<String> hosts) implements MediumSpec {
        public PingGroup {
            Objects.requireNonNull(name, "name");
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("ping_group " + name + ": no hosts");
            }
        }
    }
}

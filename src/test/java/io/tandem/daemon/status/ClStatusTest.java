package io.tandem.daemon.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.daemon.control.ControlReply;
import io.tandem.daemon.status.ClusterStatus.GroupState;
import io.tandem.daemon.status.ClusterStatus.LinkState;
import io.tandem.daemon.status.ClusterStatus.NodeState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClStatusTest {
    static final ClusterStatus S = new ClusterStatus("node1", "active", 7, 0, 65_000, "tandem dev", "all",
            List.of(new NodeState("node1", false, "active", List.of(new LinkState("eth1", true))),
                    new NodeState("node2", false, "dead", List.of(new LinkState("eth1", false), new LinkState("eth2", true))),
                    new NodeState("192.0.2.254", true, "ping", List.of(new LinkState("192.0.2.254", true)))),
            List.of(new GroupState("IPaddr::192.0.2.1/24/eth0", "node1", "node1", "running",
                    List.of("IPaddr::192.0.2.1/24/eth0", "apache2"))),
            Map.of("deadtime", "15", "keepalive", "2"));

    /** Answers go to standard output, even "dead" with exit code 1 (as heartbeat's cl_status prints them). */
    @ParameterizedTest(name = "cl_status {0} -> rc {1}")
    @CsvSource(delimiter = '|', value = {
        "hbstatus|0|Heartbeat is running on this machine.\\n",
        "listnodes|0|node2\\n192.0.2.254\\nnode1\\n",
        "listnodes -p|0|192.0.2.254\\n",
        "listnodes -n|0|node2\\nnode1\\n",
        "nodestatus node1|0|active\\n",
        "nodestatus node2|1|dead\\n",
        "nodestatus 192.0.2.254|0|ping\\n",
        "nodestatus -m node1|0|The cluster node node1 is active\\n",
        "nodetype 192.0.2.254|0|ping\\n",
        "nodetype node2|0|normal\\n",
        "listhblinks node2|0|\\teth1\\n\\teth2\\n",
        "hblinkstatus node2 eth1|1|dead\\n",
        "hblinkstatus node2 eth2|0|up\\n",
        "rscstatus|0|all\\n",
        "rscstatus -m|0|This node is holding all resources.\\n",
        "hbparameter -p deadtime|0|15\\n",
    })
    void answers_like_heartbeat(String args, int rc, String out) {
        ControlReply r = ClStatus.run(List.of(args.split(" ")), S);
        assertThat(r.out()).isEqualTo(out.replace("\\n", "\n").replace("\\t", "\t"));
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isEqualTo(rc);
    }

    @ParameterizedTest(name = "cl_status {0} -> rc {1}")
    @CsvSource(delimiter = '|', value = {
        "nodestatus nosuch|11",
        "nodetype nosuch|11",
        "listhblinks nosuch|13",
        "-m nodestatus node2|11",
        "nodestatus|11",
        "frobnicate|11",
        "hbparameter -p nosuch|1",
        "hblinkstatus node2 nosuch|13",
    })
    void bad_parameters_fail_with_heartbeats_codes_on_standard_error(String args, int rc) {
        ControlReply r = ClStatus.run(List.of(args.split(" ")), S);
        assertThat(r.exitCode()).isEqualTo(rc);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isNotEmpty();
    }

    @org.junit.jupiter.api.Test
    void status_text_and_json_name_every_node_link_and_group() {
        String text = StatusText.human(S);
        assertThat(text).contains("node2", "dead", "link eth2", "up 1m5s", "IPaddr::192.0.2.1/24/eth0", "owner node1");
        String json = StatusText.json(S);
        assertThat(json).startsWith("{\"node\":\"node1\",\"status\":\"active\",\"generation\":7,\"uptime_ms\":65000")
                .contains("{\"name\":\"192.0.2.254\",\"type\":\"ping\",\"status\":\"ping\"")
                .contains("\"resources\":[\"IPaddr::192.0.2.1/24/eth0\",\"apache2\"]");
    }
}

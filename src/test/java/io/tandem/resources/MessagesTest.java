package io.tandem.resources;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Caller fields and their order, as in docs/protocol.md Appendix B. */
class MessagesTest {
    @Test
    void every_resource_protocol_message_has_heartbeats_fields_in_heartbeats_order() {
        assertThat(Driver.text(Messages.starting())).isEqualTo("t=starting");
        assertThat(Driver.text(Messages.resourceFull(ResourceSet.ALL, true, "req_our_resources()")))
                .isEqualTo("t=resource rsc_hold=all rtype=full isstable=1 info=req_our_resources()");
        assertThat(Driver.text(Messages.resourceFull(ResourceSet.LOCAL, false, "standby"))).isEqualTo("t=resource rsc_hold=local rtype=full isstable=0 info=standby");
        assertThat(Driver.text(Messages.resourceFull(ResourceSet.NONE, true, null))).isEqualTo("t=resource rsc_hold=none rtype=full isstable=1");
        assertThat(Driver.text(Messages.resourceMachDown())).isEqualTo("t=resource rsc_hold=foreign info=mach_down");
        assertThat(Driver.text(Messages.askResources(ResourceSet.FOREIGN, "me"))).isEqualTo("t=ask_resources rsc_hold=foreign info=me");
        assertThat(Driver.text(Messages.hbTakeover("all"))).isEqualTo("t=hb_takeover rsc_hold=all");
        assertThat(Driver.text(Messages.ipRequest("Dummy::b1"))).isEqualTo("t=ip-request ipaddr=Dummy::b1");
        assertThat(Driver.text(Messages.ipRequestResp("nodea", "Dummy::a1", true, "OK")))
                .isEqualTo("t=ip-request-resp dest=nodea ipaddr=Dummy::a1 weown=yes ok=OK");
        assertThat(Driver.text(Messages.shutdone())).isEqualTo("t=shutdone st=dead");
        assertThat(Driver.text(Messages.stonith("nodeb", "n_stnth"))).isEqualTo("t=stonith node=nodeb result=n_stnth");
    }

    @Test
    void resource_sets_mirror_and_combine_like_heartbeats_bit_mask() {
        assertThat(ResourceSet.LOCAL.mirror()).isEqualTo(ResourceSet.FOREIGN);
        assertThat(ResourceSet.ALL.mirror()).isEqualTo(ResourceSet.ALL);
        assertThat(ResourceSet.ALL.minus(ResourceSet.LOCAL)).isEqualTo(ResourceSet.FOREIGN);
        assertThat(ResourceSet.LOCAL.plus(ResourceSet.FOREIGN)).isEqualTo(ResourceSet.ALL);
        assertThat(ResourceSet.parse("bogus")).isEmpty();
    }
}

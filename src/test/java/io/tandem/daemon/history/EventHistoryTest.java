package io.tandem.daemon.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event history's store: its line format with hostile values, the cap over two files, reading back, links. */
class EventHistoryTest {
    static final String HOSTILE = "a\tb\nc\rd%e=f\u0000g\u001b[31mh\u0085i\u2028j \"q\" \\ ü 🐘";

    @TempDir
    Path dir;

    static StoredEvent event(long seq, String cause) {
        return new StoredEvent(1_700_000_000_000L + seq, "node1", 7, seq, "message", "node2", cause,
                Map.of("from", cause, "info", "x=y"));
    }

    @Test
    void a_line_keeps_every_value_as_it_was_and_stays_one_line() {
        StoredEvent e = event(3, HOSTILE);
        String line = EventLine.format(e);
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
        assertThat(line.chars().filter(c -> c == '\t').count()).isEqualTo(8); // 7 columns and 2 fields
        assertThat(line).doesNotContain("\u0000", "\u001b", "\r", "\u0085", "\u2028");
        assertThat(EventLine.parse(line.strip())).contains(e);
    }

    @Test
    void a_torn_or_forged_line_is_no_entry() {
        assertThat(EventLine.parse("12\tnode1\t7\t3\tmessage")).isEmpty();
        assertThat(EventLine.parse("x\tnode1\t7\t3\tmessage\ts\tc")).isEmpty();
        assertThat(EventLine.parse("1\tnode1\t7\t3\tmessage\ts\tc\tnovalue")).isEmpty();
        assertThat(EventLine.parse("1\tnode1\t7\t3\tmessage\ts\tc%4")).isEmpty();
    }

    @Test
    void json_of_a_hostile_value_parses_back_to_it() {
        String json = EventText.json(List.of(event(1, HOSTILE)));
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) JsonRead.parse(json);
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) ((List<Object>) doc.get("events")).get(0);
        assertThat(first.get("cause")).isEqualTo(HOSTILE);
        assertThat(first.get("epochMs")).isEqualTo(1_700_000_000_001.0);
        assertThat(EventText.human(List.of(event(1, HOSTILE)))).doesNotContain("\u001b", "\u0000", "\r").hasLineCount(1);
    }

    @Test
    void both_files_stay_under_the_cap_and_the_newest_entries_come_back_after_a_restart() throws IOException {
        long cap = EventHistory.MIN_MAX_BYTES;
        List<StoredEvent> written = new ArrayList<>();
        try (EventHistory h = EventHistory.load(dir, cap, new ArrayList<>())) {
            for (int i = 1; i <= 1000; i++) {
                StoredEvent e = event(i, "cause " + i + " " + HOSTILE);
                written.add(e);
                h.add(e);
            }
            assertThat(h.since(Long.MIN_VALUE)).hasSize(1000); // memory keeps more than the files
        }
        Path file = dir.resolve(EventHistory.FILE);
        Path old = dir.resolve(EventHistory.FILE + ".1");
        assertThat(Files.size(file) + Files.size(old)).isLessThanOrEqualTo(cap);
        assertThat(Files.size(old)).isGreaterThan(cap / 4); // it was rotated, not emptied
        List<String> problems = new ArrayList<>();
        try (EventHistory again = EventHistory.load(dir, cap, problems)) {
            List<StoredEvent> back = again.since(Long.MIN_VALUE);
            assertThat(problems).isEmpty();
            assertThat(back).isNotEmpty().isEqualTo(written.subList(written.size() - back.size(), written.size()));
            assertThat(again.since(written.get(995).time())).containsExactlyElementsOf(written.subList(995, 1000));
        }
    }

    @Test
    void a_damaged_line_is_skipped_and_said_and_a_link_is_not_followed() throws IOException {
        Path target = Files.writeString(dir.resolve("elsewhere"), "keep me\n");
        Files.createSymbolicLink(dir.resolve(EventHistory.FILE + ".1"), target);
        Files.writeString(dir.resolve(EventHistory.FILE), EventLine.format(event(1, "one")) + "garbage\n" + EventLine.format(event(2, "two")));
        List<String> problems = new ArrayList<>();
        try (EventHistory h = EventHistory.load(dir, EventHistory.MIN_MAX_BYTES, problems)) {
            assertThat(h.since(Long.MIN_VALUE)).extracting(StoredEvent::cause).containsExactly("one", "two");
            for (int i = 0; i < 400; i++) {
                h.add(event(10 + i, "more " + i));
            }
        }
        assertThat(problems).singleElement().asString().contains("1 damaged line");
        assertThat(Files.readString(target)).isEqualTo("keep me\n");
        assertThat(Files.isSymbolicLink(dir.resolve(EventHistory.FILE + ".1"))).isFalse();
    }

    @Test
    void the_cap_from_the_environment_is_checked() {
        List<String> problems = new ArrayList<>();
        assertThat(EventHistory.maxBytes(null, problems)).isEqualTo(EventHistory.DEFAULT_MAX_BYTES);
        assertThat(EventHistory.maxBytes("20000", problems)).isEqualTo(20000);
        assertThat(problems).isEmpty();
        assertThat(EventHistory.maxBytes("10", problems)).isEqualTo(EventHistory.DEFAULT_MAX_BYTES);
        assertThat(EventHistory.maxBytes("lots\u001b", problems)).isEqualTo(EventHistory.DEFAULT_MAX_BYTES);
        assertThat(problems).hasSize(2).allMatch(p -> !p.contains("\u001b"));
    }
}

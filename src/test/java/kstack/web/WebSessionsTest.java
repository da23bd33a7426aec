package kstack.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;

/** Sessions are released when idle past the limit, and never more than MAX live at once. */
class WebSessionsTest {
  @Test
  void aSessionIdleLongerThanTheLimitIsReleasedAndAUsedOneKept() {
    AtomicLong now = new AtomicLong();
    WebSessions s = new WebSessions(1, TestServers.source(List.of()), 100, now::get);
    Tab idle = s.create(Profiles.x86_64_6_19(), null);
    Tab used = s.create(Profiles.x86_64_6_19(), null);
    now.set(80);
    assertThat(s.get(used.id())).isSameAs(used);
    now.set(150);
    assertThat(s.releaseIdle()).isEqualTo(1);
    assertThat(s.get(idle.id())).isNull();
    assertThat(s.get(used.id())).isSameAs(used);
  }

  @Test
  void makingOneMoreThanMaxReleasesTheOneIdleLongest() {
    AtomicLong now = new AtomicLong();
    WebSessions s = new WebSessions(1, TestServers.source(List.of()), Long.MAX_VALUE, now::get);
    Tab first = s.create(Profiles.i386_2_4(), null);
    for (int i = 1; i < WebSessions.MAX; i++) {
      s.create(Profiles.i386_2_4(), null);
    }
    assertThat(s.size()).isEqualTo(WebSessions.MAX);
    s.create(Profiles.i386_2_4(), null);
    assertThat(s.size()).isEqualTo(WebSessions.MAX);
    assertThat(s.get(first.id())).isNull();
  }
}

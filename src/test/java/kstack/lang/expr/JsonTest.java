package kstack.lang.expr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON-ready form: hex strings, strings, ordered maps and lists. */
class JsonTest extends BootedTest {
  private Object json(String text) {
    return Expressions.toJson(Expressions.eval(text, m), m);
  }

  @Test
  void scalarsAreLowercaseHexAtTheirWidth() {
    assertThat(json("255")).isEqualTo("0xff");
    assertThat(json("init_task.pid")).isEqualTo("0x0");
    assertThat(json("(int)-1")).isEqualTo("0xffffffff");
    assertThat(json("-1")).isEqualTo("0xffffffff"); // an int
    assertThat(json("-1L")).isEqualTo("0xffffffffffffffff");
    assertThat(json("&init_task"))
        .isEqualTo("0x" + Long.toHexString(m.symbols().get("init_task").address()));
    assertThat(json("entry_SYSCALL_64"))
        .isEqualTo("0x" + Long.toHexString(m.symbols().get("entry_SYSCALL_64").address()));
  }

  @Test
  void stringsAndCharArraysAreStrings() {
    assertThat(json("\"hi\"")).isEqualTo("hi");
    assertThat(json("init_task.comm")).isEqualTo("swapper/0");
  }

  @Test
  void structsAreOrderedMapsOfMembers() {
    Object regs = json("*task_pt_regs(find_task_by_vpid(1))");
    assertThat(regs).isInstanceOf(Map.class);
    Map<?, ?> r = (Map<?, ?>) regs;
    assertThat(r.keySet().iterator().next()).isEqualTo("r15");
    assertThat(r.get("cs")).isEqualTo("0x" + Long.toHexString(m.inspector().constants().get("__USER_CS")));
    Map<?, ?> task = (Map<?, ?>) json("init_task");
    assertThat(task.get("thread_info")).isEqualTo(Map.of("flags", "0x0", "status", "0x0"));
    assertThat(task.get("comm")).isEqualTo("swapper/0");
  }

  @Test
  void otherArraysAreLists() {
    assertThat(json("init_task.thread.tls_array")).isEqualTo(List.of("0x0", "0x0", "0x0"));
    assertThat((List<?>) json("init_stack")).hasSize(2048).first().isEqualTo("0x57ac6e9d");
  }
}

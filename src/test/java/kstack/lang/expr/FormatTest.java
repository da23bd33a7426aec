package kstack.lang.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** gdb-like rendering of values for the p command. */
class FormatTest extends BootedTest {
  private String p(String text) {
    return Booted.print(m, text);
  }

  private String p(char fmt, String text) {
    return Booted.print(m, fmt, text);
  }

  private static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }

  @Test
  void integersPrintInDecimalWithTheirSignedness() {
    assertThat(p("42")).isEqualTo("42");
    assertThat(p("-1")).isEqualTo("-1");
    assertThat(p("(int)-1")).isEqualTo("-1");
    assertThat(p("-1UL")).isEqualTo("18446744073709551615");
    assertThat(p("(unsigned int)-1")).isEqualTo("4294967295");
    assertThat(p("current->thread.sp"))
        .isEqualTo(Long.toUnsignedString(m.kernel().tasks.threadSp(m.current())));
  }

  @Test
  void formatLettersApplyToTheValueAtItsWidth() {
    assertThat(p('x', "255")).isEqualTo("0xff");
    assertThat(p('x', "-1")).isEqualTo("0xffffffff"); // -1 is an int, as in gdb
    assertThat(p('x', "-1L")).isEqualTo("0xffffffffffffffff");
    assertThat(p('x', "(int)-1")).isEqualTo("0xffffffff");
    assertThat(p('d', "-1UL")).isEqualTo("-1");
    assertThat(p('u', "(int)-1")).isEqualTo("4294967295");
    assertThat(p('o', "8")).isEqualTo("010");
    assertThat(p('t', "5")).isEqualTo("101");
    assertThat(p('c', "65")).isEqualTo("65 'A'");
    assertThat(p('x', "&init_task")).isEqualTo(hex(m.symbols().get("init_task").address()));
  }

  @Test
  void addressFormatAddsTheSymbol() {
    long a = m.symbols().get("entry_SYSCALL_64").address();
    assertThat(p('a', "(unsigned long)entry_SYSCALL_64 + 4"))
        .isEqualTo(hex(a + 4) + " <entry_SYSCALL_64+0x4>");
    assertThat(p('a', "16")).isEqualTo("0x10");
  }

  @Test
  void unknownFormatLetterIsAnError() {
    assertThatThrownBy(() -> p('z', "1")).isInstanceOf(ExprError.class)
        .hasMessageContaining("format 'z'");
  }

  @Test
  void charactersPrintWithTheirGlyph() {
    assertThat(p("'a'")).isEqualTo("97 'a'");
    assertThat(p("(char)0")).isEqualTo("0 '\\000'");
    assertThat(p("(char)10")).isEqualTo("10 '\\n'");
    assertThat(p("init_task.comm[0]")).isEqualTo("115 's'");
  }

  @Test
  void typedPointersCarryTheirTypeAndSymbol() {
    long it = m.symbols().get("init_task").address();
    assertThat(p("&init_task")).isEqualTo("(struct task_struct *) " + hex(it) + " <init_task>");
    assertThat(p("(struct task_struct *)0")).isEqualTo("(struct task_struct *) 0x0");
    long stack = m.kernel().stacks.stack(it);
    assertThat(p("init_task.stack"))
        .isEqualTo("(void *) " + hex(stack) + " <" + m.symbols().describe(stack) + ">");
  }

  @Test
  void functionsPrintAsAddressAndName() {
    long a = m.symbols().get("entry_SYSCALL_64").address();
    assertThat(p("entry_SYSCALL_64")).isEqualTo(hex(a) + " <entry_SYSCALL_64>");
    assertThat(p("$rip")).isEqualTo(hex(m.cpu(0).pc()) + " <" + m.describe(m.cpu(0).pc()) + ">");
  }

  @Test
  void charArraysPrintAsCStrings() {
    assertThat(p("init_task.comm")).isEqualTo("\"swapper/0\"");
    assertThat(p("find_task_by_vpid(2)->comm")).isEqualTo("\"kthreadd\"");
    assertThat(p('x', "find_task_by_vpid(2)->comm"))
        .isEqualTo("{0x6b, 0x74, 0x68, 0x72, 0x65, 0x61, 0x64, 0x64, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,"
            + " 0x0, 0x0}");
  }

  @Test
  void charPointersPrintTheStringTheyPointAt() {
    long comm = Booted.eval(m, "&init_task.comm");
    assertThat(p("(char *)init_task.comm")).isEqualTo(hex(comm) + " \"swapper/0\"");
  }

  @Test
  void stringLiteralsPrintEscaped() {
    assertThat(p("\"hi\\n\\\"x\\\"\"")).isEqualTo("\"hi\\n\\\"x\\\"\"");
  }

  @Test
  void structsPrintMembersInBracesAndNest() {
    String regs = p("*task_pt_regs(find_task_by_vpid(1))");
    assertThat(regs).startsWith("{r15 = ").endsWith("}")
        .contains(", cs = " + m.inspector().constants().get("__USER_CS") + ", ");
    String task = p("init_task");
    assertThat(task).startsWith("{thread_info = {flags = 0, status = 0}, ")
        .contains("comm = \"swapper/0\"").contains("pid = 0,");
  }

  @Test
  void pointersInsideStructsHaveNoTypePrefix() {
    assertThat(p("init_task.tasks")).startsWith("{next = 0x").doesNotContain("(struct");
  }

  @Test
  void hexFormatReachesEveryMember() {
    assertThat(p('x', "init_task.thread_info")).isEqualTo("{flags = 0x0, status = 0x0}");
    assertThat(p('x', "init_task.thread.tls_array")).isEqualTo("{0x0, 0x0, 0x0}");
  }

  @Test
  void longRunsOfEqualElementsCollapseIntoRepeats() {
    assertThat(p("init_task.thread.tls_array")).isEqualTo("{0, 0, 0}");
    assertThat(p("init_stack")).startsWith("{1470918301, 0 <repeats ");
    assertThat(p("per_cpu(cpu_tss_rw, 0).io_bitmap")).contains("<repeats 1025 times>}");
  }
}

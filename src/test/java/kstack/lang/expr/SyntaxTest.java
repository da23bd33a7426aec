package kstack.lang.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SyntaxTest extends BootedTest {
  @Test
  void integerLiteralsInDecimalHexAndOctal() {
    assertThat(eval("42")).isEqualTo(42);
    assertThat(eval("0x2a")).isEqualTo(42);
    assertThat(eval("0X2A")).isEqualTo(42);
    assertThat(eval("052")).isEqualTo(42);
    assertThat(eval("42UL")).isEqualTo(42);
    assertThat(eval("0xffffffffffffffff")).isEqualTo(-1);
  }

  @Test
  void literalTypesFollowC() {
    assertThat(Expressions.eval("1", m).type().name()).isEqualTo("int");
    assertThat(Expressions.eval("0x80000000", m).type().name()).isEqualTo("unsigned int");
    assertThat(Expressions.eval("4294967296", m).type().name()).isEqualTo("long");
    assertThat(Expressions.eval("1UL", m).type().name()).isEqualTo("unsigned long");
    assertThat(Expressions.eval("0xffffffffffffffff", m).type().name()).isEqualTo("unsigned long");
  }

  @Test
  void numberTooLargeForSixtyFourBitsIsAnError() {
    assertThat(error("1 + 0x10000000000000000").column()).isEqualTo(5);
  }

  @Test
  void precedenceIsC() {
    assertThat(eval("1 + 2 * 3")).isEqualTo(7);
    assertThat(eval("(1 + 2) * 3")).isEqualTo(9);
    assertThat(eval("1 << 2 + 1")).isEqualTo(8);
    assertThat(eval("1 | 2 & 3")).isEqualTo(3);
    assertThat(eval("6 & 3 ^ 1")).isEqualTo(3);
    assertThat(eval("1 + 1 == 2 && 3 > 2")).isEqualTo(1);
    assertThat(eval("0 || 2 < 1")).isEqualTo(0);
    assertThat(eval("-2 * -3")).isEqualTo(6);
    assertThat(eval("~0 == -1")).isEqualTo(1);
    assertThat(eval("!5")).isEqualTo(0);
    assertThat(eval("10 - 4 - 3")).isEqualTo(3);
    assertThat(eval("100 / 10 / 5")).isEqualTo(2);
    assertThat(eval("1 ? 2 : 3")).isEqualTo(2);
    assertThat(eval("0 ? 2 : 1 ? 4 : 5")).isEqualTo(4);
  }

  @Test
  void integerArithmeticWrapsAtTheWidthOfItsCType() {
    assertThat(eval("1L << 40")).isEqualTo(1L << 40);
    assertThat(error("1 << 40").getMessage()).contains("out of range for int (0 to 31)");
    assertThat(eval("2147483647 + 1")).isEqualTo(Integer.MIN_VALUE);
    assertThat(eval("2147483647L + 1")).isEqualTo(2147483648L);
    assertThat(eval("0x7fffffffffffffff + 1")).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void unsignedOperandsMakeDivisionShiftAndCompareUnsigned() {
    assertThat(eval("-1 / 2")).isEqualTo(0);
    assertThat(eval("-1UL / 2")).isEqualTo(Long.MAX_VALUE);
    assertThat(eval("-8 >> 1")).isEqualTo(-4);
    assertThat(eval("-8UL >> 60")).isEqualTo(15);
    assertThat(eval("-1 < 0")).isEqualTo(1);
    assertThat(eval("-1 < 0UL")).isEqualTo(0);
    assertThat(eval("-7 % 3")).isEqualTo(-1);
  }

  @Test
  void castsTruncateAndExtend() {
    assertThat(eval("(int)0xffffffff")).isEqualTo(-1);
    assertThat(eval("(unsigned int)-1")).isEqualTo(0xffffffffL);
    assertThat(eval("(u8)0x1234")).isEqualTo(0x34);
    assertThat(eval("(char)0x80")).isEqualTo(-128);
    assertThat(eval("(unsigned long long)-1 == (u64)-1")).isEqualTo(1);
    assertThat(Expressions.eval("(s16)-1", m).type().size()).isEqualTo(2);
    assertThat(eval("(const struct task_struct *)0 + 1")).isEqualTo(eval("sizeof(struct task_struct)"));
    assertThat(eval("(const unsigned char)0x1ff")).isEqualTo(0xff);
  }

  @Test
  void characterAndStringLiterals() {
    assertThat(eval("'a'")).isEqualTo(97);
    assertThat(eval("'\\n'")).isEqualTo(10);
    assertThat(eval("'\\0'")).isEqualTo(0);
    Value s = Expressions.eval("\"hi\\n\\t\\\\\\\"\"", m);
    assertThat(s).isInstanceOf(Value.Str.class);
    assertThat(((Value.Str) s).text()).isEqualTo("hi\n\t\\\"");
    assertThat(((Value.Str) Expressions.eval("\"ab\" \"cd\"", m)).text()).isEqualTo("abcd");
  }

  @Test
  void sizeofTypesAndExpressions() {
    assertThat(eval("sizeof(long)")).isEqualTo(8);
    assertThat(eval("sizeof(unsigned long)")).isEqualTo(8);
    assertThat(eval("sizeof(int)")).isEqualTo(4);
    assertThat(eval("sizeof(char)")).isEqualTo(1);
    assertThat(eval("sizeof(void *)")).isEqualTo(8);
    assertThat(eval("sizeof(u16)")).isEqualTo(2);
    assertThat(eval("sizeof(struct task_struct *)")).isEqualTo(8);
    assertThat(eval("sizeof(struct pt_regs)")).isEqualTo(168);
    assertThat(eval("sizeof init_task.comm")).isEqualTo(16);
    assertThat(eval("sizeof(init_task)")).isEqualTo(eval("sizeof(struct task_struct)"));
  }

  @Test
  void offsetofFollowsNestedMembers() {
    assertThat(eval("offsetof(struct pt_regs, sp)")).isEqualTo(152);
    assertThat(eval("offsetof(struct task_struct, thread.sp)"))
        .isEqualTo(eval("(unsigned long)&init_task.thread.sp - (unsigned long)&init_task"));
    assertThat(eval("offsetof(struct thread_struct, tls_array[2])")).isEqualTo(16);
  }

  @Test
  void errorsCarryTheOneBasedColumnOfTheProblem() {
    ExprError e = error("(1 + 2");
    assertThat(e.getMessage()).contains("expected ')'");
    assertThat(e.column()).isEqualTo(7);
    assertThat(error("1 + ").getMessage()).contains("end of expression");
    assertThat(error("1 + )").column()).isEqualTo(5);
    assertThat(error("1 2").column()).isEqualTo(3);
    assertThat(error("1 @ 2").column()).isEqualTo(3);
    assertThat(error("1)").getMessage()).contains("unbalanced ')'");
    assertThat(error("").getMessage()).contains("empty");
    assertThat(error("\"abc").getMessage()).contains("unterminated");
  }

  @Test
  void divisionByZeroPointsAtTheOperator() {
    ExprError e = error("10 / (2 - 2)");
    assertThat(e.getMessage()).isEqualTo("division by zero");
    assertThat(e.column()).isEqualTo(4);
    assertThat(error("1 % 0").getMessage()).isEqualTo("division by zero");
  }

  @Test
  void assignmentAndIncrementAreRejectedBecauseExpressionsOnlyRead() {
    assertThat(error("init_task.pid = 3").getMessage()).contains("assignment is not supported");
    assertThatThrownBy(() -> Expressions.eval("init_task.pid++", m)).isInstanceOf(ExprError.class);
  }

  @Test
  void unknownTypesAndStructsAreErrors() {
    assertThat(error("(struct nope *)0").getMessage()).contains("no struct nope");
    assertThat(error("sizeof(struct nope)").column()).isEqualTo(8);
    assertThat(error("(union x *)0").getMessage()).contains("not modelled");
  }

  @Test
  void garbageInputOnlyEverRaisesExprError() {
    String[] inputs = {"((((", ")", "->", "a->", "$", "$ rax", "1..2", "sizeof", "sizeof(", "offsetof(",
        "offsetof(struct pt_regs)", "offsetof(struct pt_regs, nope)", "{", "{int}", "{void}0",
        "(struct", "(struct task_struct", "per_cpu(", "per_cpu()", "current(1)", "\"a\" + 1",
        "-\"a\"", "*\"a\"", "&1", "&&", "? :", "1 ? 2", "'ab'", "'", "0x", "09", "1e5",
        "init_task[0]", "init_task + 1", "init_task == 1", "(int)init_task", "init_task ? 1 : 0",
        "(struct task_struct)1", "\"a\"[0]", "1 << 64", "1 << -1", "x(1)(2)", "(1)(2)"};
    for (String s : inputs) {
      assertThatThrownBy(() -> Expressions.eval(s, m)).as(s).isInstanceOf(ExprError.class)
          .satisfies(t -> assertThat(((ExprError) t).column()).isPositive());
    }
  }

  @Test
  void deeplyNestedInputIsRejectedNotOverflowed() {
    String deep = "(".repeat(5000) + "1" + ")".repeat(5000);
    assertThatThrownBy(() -> Expressions.eval(deep, m)).isInstanceOf(ExprError.class)
        .hasMessageContaining("nested too deeply");
  }

  @Test
  void integerSuffixesFollowCsGrammarAndABadOneIsNamedAtItsColumn() {
    assertThat(eval("1u + 1U + 1l + 1L + 1ul + 1lu + 1LLU + 1uLL + 1ll")).isEqualTo(9);
    for (String bad : new String[] {"1uu", "1lul", "1lL", "1lll", "0x1uU", "1u_"}) {
      ExprError e = error("2 + " + bad);
      assertThat(e.column()).as(bad).isEqualTo(5);
      assertThat(e.getMessage()).as(bad).contains("invalid suffix").contains("\"" + bad + "\"");
    }
  }

  @Test
  void impossibleTypeNamesAreErrorsAtTheWordThatBreaksThem() {
    ExprError e = error("(long long long)1");
    assertThat(e.column()).isEqualTo(12);
    assertThat(e.getMessage()).contains("'long long' cannot be followed by 'long'");
    assertThat(error("sizeof(short long)").column()).isEqualTo(14);
    assertThat(error("(long char)1").column()).isEqualTo(7);
    assertThat(error("(unsigned signed)1").column()).isEqualTo(11);
    assertThat(error("(unsigned unsigned)1").getMessage()).contains("a second 'unsigned'");
    assertThat(eval("sizeof(long unsigned long int)")).isEqualTo(8);
    assertThat(eval("sizeof(short int)")).isEqualTo(2);
  }

  @Test
  void aFlatChainOfFiftyThousandTermsEvaluatesOnlyTrueNestingIsLimited() {
    assertThat(eval("1" + " + 1".repeat(49_999))).isEqualTo(50_000);
    assertThat(eval("100000" + " - 1".repeat(49_999))).isEqualTo(50_001);
    assertThat(eval("1" + " && 1".repeat(49_999))).isEqualTo(1);
    assertThat(eval("0" + " || 0".repeat(49_999))).isEqualTo(0);
    assertThat(eval("1" + " * 1 + 1".repeat(20_000))).isEqualTo(20_001);
    assertThat(error("~".repeat(50_000) + "1").getMessage()).contains("nested too deeply");
  }

  @Test
  void aListWalkedThroughFiftyThousandNextsEvaluates() {
    long expected = eval("init_task.tasks.next");
    for (int i = 0; i < 49_999; i++) {
      expected = m.kernel().readPtr(expected); // list_head.next is its first member
    }
    assertThat(eval("init_task.tasks.next" + "->next".repeat(49_999))).isEqualTo(expected);
    assertThat(eval("(&init_task)[0].pid" + " + (&init_task)[0].pid".repeat(10_000))).isZero();
  }

  @Test
  void theArmOfAConditionalNotChosenIsNeverRead() {
    assertThat(eval("1 ? 5 : *(int *)8")).isEqualTo(5);
    assertThat(eval("1 ? 5 : find_task_by_vpid(99999)->pid")).isEqualTo(5);
    assertThat(eval("0 ? find_task_by_vpid(99999)->pid : 6")).isEqualTo(6);
    assertThat(Expressions.eval("1 ? (char)5 : 6L", m).type().name()).isEqualTo("long");
  }

  @Test
  void argumentListsSplitOnlyOnTopLevelCommas() {
    var values = Expressions.evalList("4, \"a,b\", per_cpu(current_task, 0)->pid", m);
    assertThat(values).hasSize(3);
    assertThat(values.get(0).asLong()).isEqualTo(4);
    assertThat(((Value.Str) values.get(1)).text()).isEqualTo("a,b");
    assertThat(values.get(2).asLong()).isEqualTo(0);
    assertThat(Expressions.evalList("  ", m)).isEmpty();
    assertThatThrownBy(() -> Expressions.evalList("1, nope", m)).isInstanceOf(ExprError.class)
        .satisfies(t -> assertThat(((ExprError) t).column()).isEqualTo(4));
  }
}

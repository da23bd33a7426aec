package kstack.lang.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * C on the profile's data model: ILP32 on i386 (int, long and pointers 32 bits, long long 64),
 * LP64 on x86_64 and arm64. Each row is an expression with what gdb prints for it on an LP64 and on
 * an ILP32 target, and the C type it has there (C11 6.4.4.1 for constants, 6.3.1.1 and 6.3.1.8 for
 * the promotions and the usual arithmetic conversions, 6.5.7 for shifts, 6.3.1.2-3 for casts).
 */
class DataModelTest {
  /** expression, LP64 value, LP64 type, ILP32 value, ILP32 type ("" = not checked). */
  private static final String[][] ROWS = {
      {"4294967296", "4294967296", "long", "4294967296", "long long"},
      {"10000000000/10", "1000000000", "long", "1000000000", "long long"},
      {"2147483647 + 1", "-2147483648", "int", "-2147483648", "int"},
      {"2147483648", "2147483648", "long", "2147483648", "long long"},
      {"-2147483648", "-2147483648", "long", "-2147483648", "long long"},
      {"0x80000000", "2147483648", "unsigned int", "2147483648", "unsigned int"},
      {"0xffffffff + 1", "0", "unsigned int", "0", "unsigned int"},
      {"0x100000000", "4294967296", "long", "4294967296", "long long"},
      {"4294967295", "4294967295", "long", "4294967295", "long long"},
      {"4294967295U", "4294967295", "unsigned int", "4294967295", "unsigned int"},
      {"0xffffffffL", "4294967295", "long", "4294967295", "unsigned long"},
      {"1LL", "1", "long long", "1", "long long"},
      {"1ull", "1", "unsigned long long", "1", "unsigned long long"},
      {"1lu", "1", "unsigned long", "1", "unsigned long"},
      {"0xffffffffffffffff", "18446744073709551615", "unsigned long", "18446744073709551615",
          "unsigned long long"},
      {"18446744073709551615", "18446744073709551615", "unsigned long long",
          "18446744073709551615", "unsigned long long"},
      {"0x7fffffffffffffff + 1", "-9223372036854775808", "long", "-9223372036854775808",
          "long long"},
      {"1L << 31", "2147483648", "long", "-2147483648", "long"},
      {"1LL << 32", "4294967296", "long long", "4294967296", "long long"},
      {"-1UL", "18446744073709551615", "unsigned long", "4294967295", "unsigned long"},
      {"~0UL", "18446744073709551615", "unsigned long", "4294967295", "unsigned long"},
      {"~0U", "4294967295", "unsigned int", "4294967295", "unsigned int"},
      {"-1 < 1U", "0", "int", "0", "int"},
      {"-1L < 1U", "1", "int", "0", "int"},
      {"-1LL < 1U", "1", "int", "1", "int"},
      {"-1L < 1UL", "0", "int", "0", "int"},
      {"-7 / 2", "-3", "int", "-3", "int"},
      {"-7 % 2", "-1", "int", "-1", "int"},
      {"-7 / 2U", "2147483644", "unsigned int", "2147483644", "unsigned int"},
      {"-7L / 2U", "-3", "long", "2147483644", "unsigned long"},
      {"-8 >> 1", "-4", "int", "-4", "int"},
      {"-8U >> 1", "2147483644", "unsigned int", "2147483644", "unsigned int"},
      {"(unsigned char)-1 + 1", "256", "int", "256", "int"},
      {"(char)0x1ff == -1", "1", "int", "1", "int"},
      {"(u16)-1 * 2", "131070", "int", "131070", "int"},
      {"sizeof(long)", "8", "", "4", ""},
      {"sizeof(long long)", "8", "", "8", ""},
      {"sizeof(void *)", "8", "", "4", ""},
      {"sizeof(int)", "4", "", "4", ""},
      {"sizeof 1L", "8", "", "4", ""},
      {"sizeof 4294967296", "8", "", "8", ""},
      {"(_Bool)5", "1", "bool", "1", "bool"},
      {"(_Bool)256", "1", "bool", "1", "bool"},
      {"(_Bool)0", "0", "bool", "0", "bool"},
      {"(bool)0x100000000", "1", "bool", "1", "bool"},
      {"(long)0xffffffff", "4294967295", "long", "-1", "long"},
      {"(unsigned long)(int)-1", "18446744073709551615", "unsigned long", "4294967295",
          "unsigned long"},
      {"(long long)(unsigned long)-1", "-1", "long long", "4294967295", "long long"},
      {"(unsigned)-1", "4294967295", "unsigned int", "4294967295", "unsigned int"},
      {"(long unsigned int)-1 > 0", "1", "int", "1", "int"},
      {"(int *)0 + 1", "(int *) 0x4", "int *", "(int *) 0x4", "int *"},
      {"(long *)0 + 1", "(long *) 0x8", "long *", "(long *) 0x4", "long *"},
      {"(void *)-1", "(void *) 0xffffffffffffffff", "void *", "(void *) 0xffffffff", "void *"},
      {"(void *)(long)-1", "(void *) 0xffffffffffffffff", "void *", "(void *) 0xffffffff",
          "void *"},
      {"(unsigned long)((void *)0xfffffff0 + 0x20)", "4294967312", "unsigned long", "16",
          "unsigned long"},
      {"(long *)0x10 - (long *)0", "2", "long", "4", "long"},
      {"(void *)0xfffffff0 > (void *)0x10", "1", "int", "1", "int"},
      {"1 ? -1 : 0U", "4294967295", "unsigned int", "4294967295", "unsigned int"},
      {"1 ? -1 : 0UL", "18446744073709551615", "unsigned long", "4294967295", "unsigned long"},
      {"0 ? 1 : 2L", "2", "long", "2", "long"},
      {"'a'", "97 'a'", "char", "97 'a'", "char"},
  };

  static Stream<Object[]> rows() {
    Stream.Builder<Object[]> b = Stream.builder();
    for (String[] r : ROWS) {
      b.add(new Object[] {r[0], Profiles.x86_64_4_16(), r[1], r[2]});
      b.add(new Object[] {r[0], Profiles.arm64_6_19(), r[1], r[2]});
      b.add(new Object[] {r[0], Profiles.i386_2_6_32(), r[3], r[4]});
      b.add(new Object[] {r[0], Profiles.i386_2_4(), r[3], r[4]});
    }
    return b.build();
  }

  private static final java.util.Map<String, Machine> MACHINES = new java.util.HashMap<>();

  private static Machine machine(Profile p) {
    return MACHINES.computeIfAbsent(p.label(), l -> Machine.create(p, 1));
  }

  @ParameterizedTest(name = "{1}: {0} = {2} ({3})")
  @MethodSource("rows")
  void everyExpressionHasCsValueAndTypeOnTheProfilesDataModel(String expr, Profile p,
      String shown, String type) {
    Machine m = machine(p);
    Value v = Expressions.eval(expr, m);
    assertThat(Expressions.format(v, '\0', m)).isEqualTo(shown);
    if (!type.isEmpty()) {
      assertThat(CTypes.name(v.type())).isEqualTo(type);
    }
  }

  static List<Profile> models() {
    return List.of(Profiles.x86_64_4_16(), Profiles.i386_2_6_32());
  }

  @ParameterizedTest
  @MethodSource("models")
  void shiftsAndDivisionsWithNoCResultAreErrorsAtTheOperator(Profile p) {
    Machine m = machine(p);
    int longBits = m.arch().types().word * 8;
    assertThatThrownBy(() -> Expressions.eval("1L << " + longBits, m))
        .hasMessage("shift count " + longBits + " is out of range for long (0 to "
            + (longBits - 1) + ")")
        .satisfies(e -> assertThat(((ExprError) e).column()).isEqualTo(4));
    assertThatThrownBy(() -> Expressions.eval("(-2147483647 - 1) / -1", m))
        .hasMessageContaining("division overflow");
    assertThatThrownBy(() -> Expressions.eval("1 >> -1", m)).hasMessageContaining("out of range");
  }

  @ParameterizedTest
  @MethodSource("models")
  void anAddressNeverSignExtendsPastThePointerWidth(Profile p) {
    Machine m = machine(p);
    long top = m.arch().types().word == 4 ? 0xc1000000L : 0xffffffff81000000L;
    String asLong = Long.toString(new Value.Int(top, m.arch().types().slong).value());
    assertThat(Expressions.eval("(char *)(long)" + asLong, m).asLong()).isEqualTo(top);
    assertThat(((Value.LValue) Expressions.eval("*(int *)(long)" + asLong, m)).address())
        .isEqualTo(top);
    assertThat(Expressions.eval("(void *)" + asLong, m).asLong()).isEqualTo(top);
  }
}

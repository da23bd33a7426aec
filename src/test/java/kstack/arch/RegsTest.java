package kstack.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import kstack.catalog.Arches;
import kstack.catalog.Profiles;
import kstack.cpu.RegisterSet;
import kstack.profile.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each arch's {@code Regs}, the register numbers steps are built with, agrees with the arch's
 * register set, and a register named by a string is refused when the step is built.
 */
class RegsTest {
  private static Class<?> regs(String arch) throws ClassNotFoundException {
    return Class.forName("kstack.arch." + arch + ".Regs");
  }

  private static RegisterSet set(String arch) {
    Profile p = Profiles.of(arch).get(0);
    return Arches.forProfile(p).registers();
  }

  @ParameterizedTest
  @ValueSource(strings = {"x86_64", "i386", "arm64"})
  void everyRegisterConstantIsTheNumberTheRegisterSetGivesItsName(String arch) throws Exception {
    RegisterSet set = set(arch);
    int seen = 0;
    for (Field f : regs(arch).getDeclaredFields()) {
      if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) {
        f.setAccessible(true);
        assertThat(f.getInt(null)).as(arch + " " + f.getName()).isEqualTo(set.of(f.getName()));
        seen++;
      }
    }
    assertThat(seen).isEqualTo(set.count());
    Field names = regs(arch).getDeclaredField("NAMES");
    names.setAccessible(true);
    assertThat((List<?>) names.get(null)).isEqualTo(set.names());
  }

  @ParameterizedTest
  @ValueSource(strings = {"x86_64", "i386", "arm64"})
  void aRegisterNamedByAStringIsNumberedWhenTheStepIsBuiltAndAWrongNameFailsThere(String arch)
      throws Exception {
    Method of = regs(arch).getDeclaredMethod("of", String.class);
    of.setAccessible(true);
    String sp = set(arch).name(set(arch).sp);
    assertThat(of.invoke(null, sp)).isEqualTo(set(arch).sp);
    assertThatThrownBy(() -> of.invoke(null, "no_such_reg"))
        .isInstanceOf(InvocationTargetException.class)
        .cause().isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no register named no_such_reg");
  }
}

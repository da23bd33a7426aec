package kstack.kernel;

import java.util.IdentityHashMap;
import java.util.Map;
import kstack.layout.Member;
import kstack.layout.StructLayout;
import kstack.profile.Profile;

/**
 * The {@link StructMember} handles of one kernel image resolved to members, one array per handle
 * enum, indexed by ordinal. Resolution happens once per enum, when the kernel is built (the arch
 * names its enums, {@link ArchImage#memberHandles}); a required member its layout lacks fails
 * then, naming the profile, the struct and the member. The handles of a struct the generation
 * does not have at all stay unresolved, and reading one is refused naming struct and member.
 */
final class StructMembers {
  private final Profile profile;
  private final Map<String, StructLayout> structs;
  private final Map<Class<?>, Member[]> resolved = new IdentityHashMap<>();
  /** The handle enum asked for last and its members: a step reads several of one struct in a row. */
  private Class<?> lastType;
  private Member[] lastMembers;

  StructMembers(Profile profile, Map<String, StructLayout> structs) {
    this.profile = profile;
    this.structs = structs;
  }

  /** The resolved member; a handle its generation lacks is refused naming it. */
  Member get(StructMember m) {
    Class<?> type = m.getDeclaringClass();
    Member[] ms = lastMembers;
    if (type != lastType) {
      ms = resolve(type);
      lastType = type;
      lastMembers = ms;
    }
    Member r = ms[m.ordinal()];
    if (r == null) {
      throw new IllegalStateException("struct " + m.struct() + " has no member '" + m.paths()[0]
          + "' in the " + profile.label() + " profile");
    }
    return r;
  }

  /** Resolves every constant of a handle enum, once. */
  Member[] resolve(Class<?> type) {
    Member[] ms = resolved.get(type);
    if (ms != null) {
      return ms;
    }
    Object[] all = type.getEnumConstants();
    ms = new Member[all.length];
    for (Object o : all) {
      StructMember m = (StructMember) o;
      ms[m.ordinal()] = resolve(m);
    }
    resolved.put(type, ms);
    return ms;
  }

  private Member resolve(StructMember m) {
    StructLayout s = structs.get(m.struct());
    if (s == null) {
      return null; // a struct the generation has not (inactive_task_frame before 4.9): refused by name if read
    }
    for (String path : m.paths()) {
      if (s != null && s.hasPath(path)) {
        return s.member(path);
      }
    }
    if (!m.required()) {
      return null;
    }
    String path = m.paths()[0];
    throw new IllegalStateException("the " + profile.label() + " layout of struct " + m.struct()
        + " lacks member '" + path + "'"
        + (m.paths().length > 1 ? " (nor has it " + String.join(", ", java.util.Arrays.asList(
        m.paths()).subList(1, m.paths().length)) + ")" : ""));
  }
}

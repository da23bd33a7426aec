package kstack.catalog;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import kstack.profile.Feature;
import kstack.profile.KernelConfig;
import kstack.profile.Module;
import kstack.profile.Profile;

/**
 * The profile table: the only place where version numbers meet modules and features. Each entry names
 * its version and picks one generation module per mechanism ({@link Module}), once; the features it
 * still lists directly are those no module declares yet. Adding a generation means adding an entry
 * here plus the modules that differ from its neighbour's. The entries live per architecture in
 * {@link X86_64Profiles}, {@link I386Profiles} and {@link Arm64Profiles}; this class lists them and
 * finds them by name. The x86_64 modules that build routines (kstack.arch.x86_64.X86Routines)
 * build them in the order an entry lists them: that is the image's link order, so every later
 * address depends on it.
 */
public final class Profiles {
  private Profiles() {}

  /** x86_64 at the seeds' version: 4.16 (read from the 4.16.13 stable snapshot). */
  public static Profile x86_64_4_16() {
    return X86_64Profiles.x86_64_4_16();
  }

  /**
   * x86_64 at 2.6.32 (2.6.32.67): thread_info at the base of an 8 KiB stack, SYSCALL into
   * system_call's partial frame, switch_to inline in schedule() (docs/research/i386-and-2.x.md §7).
   */
  public static Profile x86_64_2_6_32() {
    return X86_64Profiles.x86_64_2_6_32();
  }

  /** x86_64 at the newest 6.x the sources let us cite: 6.19. */
  public static Profile x86_64_6_19() {
    return X86_64Profiles.x86_64_6_19();
  }

  /** arm64 at 4.16 (4.16.13): 4 KiB pages, 48-bit VA, VMAP_STACK (research arm64.md). */
  public static Profile arm64_4_16() {
    return Arm64Profiles.arm64_4_16();
  }

  /** arm64 at 6.19: generic IRQ entry, __arm64_sys_ wrappers, kernel_clone. */
  public static Profile arm64_6_19() {
    return Arm64Profiles.arm64_6_19();
  }

  /**
   * i386 at 4.16 (4.16.13): 8 KiB stacks from the page allocator (no VMAP_STACK on 32-bit), the
   * 68-byte pt_regs below an 8-byte padding, int $0x80 (docs/research/i386-and-2.x.md §4).
   */
  public static Profile i386_4_16() {
    return I386Profiles.i386_4_16();
  }

  /**
   * i386 at 2.4 (2.4.22): the 8 KiB task_union with task_struct at its base, current = esp &
   * ~8191, the 60-byte pt_regs at the very top, system_call, switch_to inline in schedule()
   * pushing esi, edi, ebp (docs/research/i386-and-2.x.md §1).
   */
  public static Profile i386_2_4() {
    return I386Profiles.i386_2_4();
  }

  /**
   * i386 at 2.6.11, the generation the seed articles describe: thread_info at the base of an 8 KiB
   * stack and current = current_thread_info()->task (no per-CPU current_task), the 60-byte pt_regs
   * at the very top, system_call and the switch_to of 2.6.32's shape with 2.6.11's names
   * (docs/research/i386-and-2.x.md §2).
   */
  public static Profile i386_2_6_11() {
    return I386Profiles.i386_2_6_11();
  }

  /**
   * i386 at 2.6.32 (2.6.32.67, the "2.6"): thread_info at the base of an 8 KiB stack (4 KiB
   * with CONFIG_4KSTACKS, plus per-CPU hardirq and softirq irq_ctx stacks), the 68-byte pt_regs at
   * top - 8 - 68, system_call through sys_call_table, switch_to inline in schedule()
   * (docs/research/i386-and-2.x.md §3).
   */
  public static Profile i386_2_6_32() {
    return I386Profiles.i386_2_6_32();
  }

  /**
   * i386 at 6.19, the newest the sources allow: the per-CPU entry stack under TSS.sp0, __ia32_sys_
   * pt_regs wrappers reached through ia32_sys_call, the generic entry code, kernel_clone
   * (docs/research/i386-and-2.x.md §5).
   */
  public static Profile i386_6_19() {
    return I386Profiles.i386_6_19();
  }

  static Profile profile(String arch, String kernel, String version, EnumSet<Feature> features,
      KernelConfig config, List<Module> modules) {
    return new Profile(arch, kernel, version, features, config, modules);
  }

  /** A profile's modules, one per mechanism: one per line so that each mechanism's pick reads alone. */
  static List<Module> modules(Module... picked) {
    return List.of(picked);
  }

  public static List<Profile> all() {
    return List.of(x86_64_2_6_32(), x86_64_4_16(), x86_64_6_19(), i386_2_4(), i386_2_6_11(), i386_2_6_32(),
        i386_4_16(),
        i386_6_19(), arm64_4_16(),
        arm64_6_19());
  }

  /** Every profile as ARCH:KERNEL, the form --a/--b of diff take; for error messages and help. */
  public static String names() {
    return String.join(", ", all().stream().map(p -> p.arch() + ":" + p.kernel()).toList());
  }

  /** The profiles of one architecture, oldest first. */
  public static List<Profile> of(String arch) {
    return all().stream().filter(p -> p.arch().equals(arch)).toList();
  }

  /**
   * Finds a profile by arch and {@code --kernel} name. {@code 6.x}, {@code 6} and the exact version
   * {@code 6.19} all name the newest 6-series profile; {@code 4.16} and {@code 4.16.13} the 4.16 one.
   */
  public static Optional<Profile> find(String arch, String kernel) {
    for (Profile p : all()) {
      if (p.arch().equals(arch) && kernel.equals(p.kernel())) {
        return Optional.of(p); // an exact name first: "2.6" is 2.6.32, not the older 2.6.11
      }
    }
    for (Profile p : all()) {
      if (!p.arch().equals(arch)) {
        continue;
      }
      String v = p.version();
      if (kernel.equals(p.kernel()) || kernel.equals(v)
          || (p.kernel().endsWith(".x") && kernel.equals(p.kernel().substring(0, p.kernel().length() - 2)))
          || v.startsWith(kernel + ".") && kernel.chars().filter(c -> c == '.').count() >= 1) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The newest profile of an arch: the default for {@code --kernel}. */
  public static Optional<Profile> newest(String arch) {
    Profile best = null;
    for (Profile p : all()) {
      if (p.arch().equals(arch)) {
        best = p;
      }
    }
    return Optional.ofNullable(best);
  }
}

package kstack.kernel;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * The x86_64 ORC builds' {@code return f(args)}: a sibling call, the caller's epilogue and a jump.
 *
 * <p>The rule (Feature.SIBLING_CALLS): x86_64 kernels are built with the ORC unwinder by default
 * (arch/x86/Kconfig.debug@6.19:225-227), so without CONFIG_FRAME_POINTER and without the
 * -fno-optimize-sibling-calls that the top Makefile adds only for frame-pointer builds
 * (Makefile@6.19:923-937). gcc -O2 then turns a call in tail position into the caller's epilogue
 * and a {@code jmp}: the callee returns straight to the caller's caller, and the caller leaves no
 * frame on the stack. It does not do so when the callee is __noreturn (declared, or found so by
 * gcc: x64_sys_call declares the table's noreturn entries __noreturn, syscall_64.c@6.19:12-13), nor
 * when the caller has a local whose address escaped (an on-stack struct passed by pointer, as
 * kernel_clone(&args) or get_timespec64(&t, ...)), nor when the callee needs stack arguments.
 * Separately, static helpers with one caller are inlined (-finline-functions-called-once).
 *
 * <p>Where it applies in the model, on x86_64 4.16 and 6.x: 4.16's SyS_clone, sys_fork and
 * kernel_thread → _do_fork, __vfs_read/write → new_sync_read/write, SyS_pipe → SyS_pipe2
 * (fork.c@4.16.13:2144-2155,2188-2195; fs/read_write.c@4.16.13:407-416); 6.x's
 * x64_sys_call dispatch (every case but exit and exit_group),
 * __x64_sys_read/write → ksys_read/write, __x64_sys_pipe/pipe2 → do_pipe2, __x64_sys_clone →
 * __do_sys_clone, __x64_sys_clone3 → __do_sys_clone3, common_nsleep → hrtimer_nanosleep,
 * wake_up_process → try_to_wake_up; do_execve is inlined into the execve system call on every
 * 6.x profile (fs/exec.c@6.19:1927-1934, static and called once). The elided function keeps its routine and its steps (x/i and stepi show the jmp), so the source's
 * structure stays visible; only its frame is gone. The model still builds frame records in every
 * function (its unwinder follows frame pointers), so it shows the ORC build's call shape with
 * frame-pointer frames: every frame it shows is one the real build has.
 * i386 (UNWINDER_FRAME_POINTER) and arm64 (selects FRAME_POINTER) keep every call.
 */
public record SiblingCall() implements CallShape {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.SIBLING_CALLS);
  }

  @Override
  public RoutineBuilder ret(RoutineBuilder b, String text, String target,
      Args args) {
    return b.tailCall(text + ": a sibling call (gcc -O2): leave; jmp " + target
        + " (no frame of this function stays; " + target + " returns to our caller)", target, args);
  }

  @Override
  public boolean jumps() {
    return true;
  }

  /** For the callers not yet holding their CallShape: whether this profile's build jumps. */
  static boolean on(Kernel k) {
    return CallShape.of(k).jumps();
  }

  /** For the callers not yet holding their CallShape: {@code return target(args)} as built. */
  static RoutineBuilder ret(Kernel k, RoutineBuilder b, String text, String target,
      Args args) {
    return CallShape.of(k).ret(b, text, target, args);
  }
}

package kstack.web;

import java.util.List;
import kstack.lang.Source;
import kstack.profile.Profile;

/**
 * Where a session's scenario comes from: the command line of {@code kstack web} gives the server's
 * own (name null) and the built-in ones by name, each in the telling of the profile's kernel or
 * arch. The page can only name a scenario, never a file.
 */
public interface ScenarioSource {
  /** The scenario's lines for p; IllegalArgumentException when there is no such scenario. */
  List<Source.Line> lines(String name, Profile p);
}

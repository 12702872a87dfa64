package io.minilb.demo;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Pod Security Standards checks (k8s.io/pod-security-admission/policy) for the fields minilb's
 * pods use or could plausibly grow: host namespaces, hostPort, privileged, capabilities, hostPath
 * and volume types, seccomp, privilege escalation, non-root. A pure function of a pod spec.
 */
enum PodSecurity {
  PRIVILEGED,
  BASELINE,
  RESTRICTED;

  /** Baseline's allowed {@code capabilities.add} (check "capabilities_baseline"). */
  private static final Set<String> BASELINE_CAPABILITIES =
      Set.of(
          "AUDIT_WRITE",
          "CHOWN",
          "DAC_OVERRIDE",
          "FOWNER",
          "FSETID",
          "KILL",
          "MKNOD",
          "NET_BIND_SERVICE",
          "SETFCAP",
          "SETGID",
          "SETPCAP",
          "SETUID",
          "SYS_CHROOT");

  /** The volume types restricted allows (check "restrictedVolumes"). */
  private static final Set<String> RESTRICTED_VOLUMES =
      Set.of(
          "configMap",
          "csi",
          "downwardAPI",
          "emptyDir",
          "ephemeral",
          "persistentVolumeClaim",
          "projected",
          "secret");

  /** The level named by a {@code pod-security.kubernetes.io/*} label value; unset = privileged. */
  static PodSecurity of(String label) {
    return label == null ? PRIVILEGED : valueOf(label.toUpperCase(Locale.ROOT));
  }

  /** Why {@code pod} is not admitted at this level; empty when it is. */
  List<String> violations(PodSpec pod) {
    var out = new ArrayList<String>();
    if (this == PRIVILEGED) {
      return out;
    }
    PodSecurityContext psc = pod.getSecurityContext();
    if (isTrue(pod.getHostNetwork()) || isTrue(pod.getHostPID()) || isTrue(pod.getHostIPC())) {
      out.add("host namespaces");
    }
    for (Volume v : volumes(pod)) {
      if (v.getHostPath() != null) {
        out.add("hostPath volume " + v.getName());
      }
    }
    if (psc != null && isUnconfined(psc.getSeccompProfile())) {
      out.add("seccomp Unconfined (pod)");
    }
    for (Container c : containers(pod)) {
      SecurityContext sc = c.getSecurityContext();
      c.getPorts().stream()
          .filter(p -> p.getHostPort() != null && p.getHostPort() != 0)
          .forEach(p -> out.add("container " + c.getName() + " hostPort " + p.getHostPort()));
      if (sc == null) {
        continue;
      }
      if (isTrue(sc.getPrivileged())) {
        out.add("container " + c.getName() + " privileged");
      }
      for (String cap : added(sc)) {
        if (!BASELINE_CAPABILITIES.contains(cap)) {
          out.add("container " + c.getName() + " adds capability " + cap);
        }
      }
      if (isUnconfined(sc.getSeccompProfile())) {
        out.add("container " + c.getName() + " seccomp Unconfined");
      }
      if (sc.getProcMount() != null && !"Default".equals(sc.getProcMount())) {
        out.add("container " + c.getName() + " procMount " + sc.getProcMount());
      }
    }
    if (this == RESTRICTED) {
      out.addAll(restrictedViolations(pod));
    }
    return out;
  }

  /** True when this level admits {@code pod}. */
  boolean admits(PodSpec pod) {
    return violations(pod).isEmpty();
  }

  /** The strictest level that admits {@code pod}. */
  static PodSecurity strictestAdmitting(PodSpec pod) {
    return RESTRICTED.admits(pod) ? RESTRICTED : BASELINE.admits(pod) ? BASELINE : PRIVILEGED;
  }

  private static List<String> restrictedViolations(PodSpec pod) {
    var out = new ArrayList<String>();
    PodSecurityContext psc = pod.getSecurityContext();
    for (Volume v : volumes(pod)) {
      if (volumeType(v).stream().anyMatch(t -> !RESTRICTED_VOLUMES.contains(t))) {
        out.add("volume " + v.getName() + " of type " + volumeType(v));
      }
    }
    boolean podNonRoot = psc != null && isTrue(psc.getRunAsNonRoot());
    boolean podSeccomp = psc != null && isConfined(psc.getSeccompProfile());
    if (psc != null && psc.getRunAsUser() != null && psc.getRunAsUser() == 0) {
      out.add("pod runAsUser 0");
    }
    for (Container c : containers(pod)) {
      SecurityContext sc =
          c.getSecurityContext() == null ? new SecurityContext() : c.getSecurityContext();
      String n = "container " + c.getName();
      if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        out.add(n + " allowPrivilegeEscalation != false");
      }
      if (sc.getRunAsNonRoot() != null ? !sc.getRunAsNonRoot() : !podNonRoot) {
        out.add(n + " runAsNonRoot != true");
      }
      if (sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
        out.add(n + " runAsUser 0");
      }
      if (sc.getSeccompProfile() != null ? !isConfined(sc.getSeccompProfile()) : !podSeccomp) {
        out.add(n + " seccompProfile not RuntimeDefault/Localhost");
      }
      var caps = sc.getCapabilities();
      if (caps == null || caps.getDrop() == null || !caps.getDrop().contains("ALL")) {
        out.add(n + " does not drop ALL capabilities");
      }
      for (String cap : added(sc)) {
        // Those outside baseline's list were reported by the baseline checks already.
        if (!cap.equals("NET_BIND_SERVICE") && BASELINE_CAPABILITIES.contains(cap)) {
          out.add(n + " adds capability " + cap);
        }
      }
    }
    return out;
  }

  private static List<String> volumeType(Volume v) {
    var types = new ArrayList<String>();
    if (v.getConfigMap() != null) types.add("configMap");
    if (v.getCsi() != null) types.add("csi");
    if (v.getDownwardAPI() != null) types.add("downwardAPI");
    if (v.getEmptyDir() != null) types.add("emptyDir");
    if (v.getEphemeral() != null) types.add("ephemeral");
    if (v.getPersistentVolumeClaim() != null) types.add("persistentVolumeClaim");
    if (v.getProjected() != null) types.add("projected");
    if (v.getSecret() != null) types.add("secret");
    if (types.isEmpty()) types.add("other");
    return types;
  }

  private static List<Volume> volumes(PodSpec pod) {
    return pod.getVolumes() == null ? List.of() : pod.getVolumes();
  }

  private static List<Container> containers(PodSpec pod) {
    return Stream.concat(
            pod.getInitContainers() == null ? Stream.empty() : pod.getInitContainers().stream(),
            pod.getContainers().stream())
        .toList();
  }

  private static List<String> added(SecurityContext sc) {
    return sc.getCapabilities() == null || sc.getCapabilities().getAdd() == null
        ? List.of()
        : sc.getCapabilities().getAdd();
  }

  private static boolean isUnconfined(SeccompProfile p) {
    return p != null && "Unconfined".equals(p.getType());
  }

  private static boolean isConfined(SeccompProfile p) {
    return p != null && ("RuntimeDefault".equals(p.getType()) || "Localhost".equals(p.getType()));
  }

  private static boolean isTrue(Boolean b) {
    return Boolean.TRUE.equals(b);
  }
}

/**
 * From findings to one diagnosis: a cause, a plain-language summary, evidence frames,
 * remedies that fit the evidence, and what the capture cannot tell. Conservative by design:
 * checksums are blamed only when they are genuinely bad, never for zero or offload values.
 */
import type { Attempt, CaptureSummary, Diagnosis, DnsFinding, Finding, SynRetryFinding } from '../report';
import { t, type Lang } from './i18n';

type Retry = SynRetryFinding | DnsFinding;

const badCount = (f: Retry) => f.attemptList.filter((a) => a.outerChecksum === 'bad').length;

/** Compute the diagnosis for a set of findings. */
export function diagnose(findings: Finding[], captures: CaptureSummary[], lang: Lang, overlap = -1): Diagnosis {
  const L = t(lang);
  const retries = findings.filter((f): f is Retry => f.kind === 'syn-retry' || f.kind === 'dns-unanswered');
  const total = (kind: string) =>
    findings
      .filter((f) => f.kind === kind)
      .reduce((n, f) => n + ('count' in f && f.count !== undefined ? f.count : f.frames.length), 0);
  const offload = total('checksum-offload');
  const packets = captures.reduce((n, c) => n + c.packets, 0);
  const base: Diagnosis = {
    cause: null,
    confidence: 'high',
    summary: '',
    evidence: [],
    evidenceCapture: 0,
    remedies: [],
    primaryFinding: -1,
    caveats: [],
  };
  // Two readable captures with nothing in common: say why they were not compared.
  if (captures.length === 2 && overlap === 0 && captures.every((c) => c.format !== 'unknown' && c.packets > 0))
    base.caveats.push(L.noOverlap);
  if (offload) base.caveats.push(L.offloadNote(offload));

  const withBad = retries.filter((f) => badCount(f) > 0).sort((a, b) => badCount(b) - badCount(a));
  if (withBad.length) {
    const f = withBad[0]!;
    const bad = f.attemptList.filter((a) => a.outerChecksum === 'bad');
    const firstBad = bad[0]!;
    const okIdx = f.attemptList.findIndex((a) => a.outerChecksum !== 'bad');
    const ok: Attempt | null = okIdx >= 0 ? f.attemptList[okIdx]! : null;
    const port = tunnelPort(f);
    const isSyn = f.kind === 'syn-retry';
    // High confidence: every lost attempt had a bad outer checksum, and any attempt that got
    // through did not. Otherwise the checksum explains only part of the loss.
    const answered = isSyn ? f.outcome === 'established' : false;
    const consistent = answered
      ? okIdx === f.attemptList.length - 1 && bad.length === f.attemptList.length - 1
      : bad.length === f.attemptList.length;
    let where = '';
    if (f.delivered !== undefined) {
      const lost = f.attemptList.length - f.delivered;
      where =
        lost > 0
          ? ` ${L.twoPointLostInNetwork(lost, f.attemptList.length)}`
          : ` ${L.twoPointLostAtReceiver(bad.length, f.attemptList.length)}`;
    }
    return {
      ...base,
      cause: 'vxlan-checksum-drop',
      confidence: consistent ? 'high' : 'medium',
      summary:
        L.vxlanSummary({
          what: isSyn ? L.synConnWhat(f.client, f.server) : L.dnsWhat(f.name, f.server),
          badAttempts: bad.length,
          attempts: f.attemptList.length,
          port,
          stored: firstBad.outerStored,
          computed: firstBad.outerComputed,
          okAttempt: ok ? okIdx + 1 : null,
          okState: ok ? L.outerName(ok.outerChecksum) : null,
          delay: isSyn ? f.delaySec : null,
        }) + where,
      evidence: isSyn && f.answerFrame !== null ? [...f.frames, f.answerFrame] : f.frames.slice(),
      evidenceCapture: f.capture,
      primaryFinding: findings.indexOf(f),
      // flannel's VXLAN device uses the Linux port 8472; Calico's vxlan.calico uses IANA 4789.
      remedies: [
        L.remedyEthtool(vxlanDevice(port)),
        L.remedyPersist(vxlanDevice(port)),
        L.remedyMark(port ?? 8472),
        L.remedyKubeProxy,
        L.remedyKernel,
        L.remedyCalico,
      ],
    };
  }

  const syns = retries.filter((f): f is SynRetryFinding => f.kind === 'syn-retry');
  if (syns.length) {
    const f = syns[0]!;
    const tunnelled = f.attemptList.some((a) => a.outerChecksum !== 'none');
    const outerStates = [...new Set(f.attemptList.map((a) => L.outerName(a.outerChecksum)))].join(', ');
    let summary = L.synDroppedSummary({
      client: f.client,
      server: f.server,
      attempts: f.attempts,
      outcome: f.outcome,
      delay: f.delaySec,
      ladder: L.ladderName(f.ladder),
      outer: outerStates,
    });
    if (f.answersBeforeLastAttempt > 0) summary += ` ${L.synAckLost(f.answersBeforeLastAttempt)}`;
    // Unanswered attempts in IPv6 tunnels with a zero UDP checksum: a receiver without
    // udp6zerocsumrx drops them, which explains the loss better than "the network".
    const lostAttempts = f.outcome === 'established' ? f.attemptList.slice(0, -1) : f.attemptList;
    const v6zero = lostAttempts.filter((a) => a.tunnelIpv6 && a.outerChecksum === 'zero').length;
    if (v6zero) summary += ` ${L.ipv6ZeroChecksum(v6zero)}`;
    const caveats = [...base.caveats];
    let confidence: Diagnosis['confidence'] = 'medium';
    if (f.delivered !== undefined) {
      const lost = f.attempts - f.delivered;
      if (f.delivered === 0 || lost > 0) summary += ` ${L.twoPointLostInNetwork(lost, f.attempts)}`;
      else {
        const unanswered = f.outcome === 'established' ? f.attempts - 1 : f.attempts;
        summary += ` ${unanswered > 0 ? L.twoPointLostAtReceiver(unanswered, f.attempts) : L.twoPointCheckPlacement}`;
      }
      confidence = 'high';
    } else caveats.push(L.caveatSinglePoint);
    if (!tunnelled) caveats.push(L.caveatNoTunnel);
    const port = f.server.replace(/^.*:/, '');
    return {
      ...base,
      cause: 'syn-dropped',
      confidence,
      summary,
      evidence: f.answerFrame !== null ? [...f.frames, f.answerFrame] : f.frames.slice(),
      evidenceCapture: f.capture,
      primaryFinding: findings.indexOf(f),
      caveats,
      remedies: f.delivered === undefined ? [L.remedySecondCapture(port), L.remedyFirewall] : [L.remedyFirewall],
    };
  }

  const dns = retries.filter((f): f is DnsFinding => f.kind === 'dns-unanswered');
  if (dns.length) {
    const f = dns[0]!;
    if (f.rejectedBy) {
      const r = f.rejectedBy;
      return {
        ...base,
        cause: 'dns-unanswered',
        confidence: 'high',
        summary: L.dnsRejectedSummary(f.name, f.server, f.queries, r.from, L.icmpName(r.icmpType, r.icmpCode), r.frames),
        evidence: [...f.frames, ...r.frames].sort((a, b) => a - b),
        evidenceCapture: f.capture,
        primaryFinding: findings.indexOf(f),
        remedies: [L.remedyDnsRejected(f.server)],
      };
    }
    return {
      ...base,
      cause: 'dns-unanswered',
      confidence: f.queries >= 2 ? 'medium' : 'low',
      summary: L.dnsSummary(f.name, f.server, f.queries),
      evidence: f.frames.slice(),
      evidenceCapture: f.capture,
      primaryFinding: findings.indexOf(f),
      caveats: f.delivered === undefined ? [...base.caveats, L.caveatSinglePoint] : base.caveats,
      remedies: [L.remedyDnsServer(f.server), L.remedyDnsCapture],
    };
  }

  const tunnelBad = total('tunnel-checksum-bad');
  const otherBad = total('checksum-bad');
  if (tunnelBad || otherBad) {
    const f = findings.find((x) => x.kind === 'tunnel-checksum-bad') ?? findings.find((x) => x.kind === 'checksum-bad')!;
    return {
      ...base,
      confidence: 'medium',
      summary: L.noFailureButBad(tunnelBad, otherBad),
      evidence: f.frames.slice(0, 50),
      evidenceCapture: f.capture,
      primaryFinding: findings.indexOf(f),
      remedies: tunnelBad ? [L.remedyEthtool('flannel.1'), L.remedyKernel] : [],
    };
  }
  return { ...base, summary: packets ? L.noProblem(packets, offload) : L.emptyCapture };
}

/** The usual VXLAN device for a tunnel port. */
function vxlanDevice(port: number | null): string {
  return port === 4789 ? 'vxlan.calico' : 'flannel.1';
}

/** UDP port of the tunnel that carried the bad attempts (8472 for flannel, 4789 IANA). */
function tunnelPort(f: Retry): number | null {
  return f.attemptList.find((a) => a.outerChecksum === 'bad')?.tunnelPort ?? null;
}

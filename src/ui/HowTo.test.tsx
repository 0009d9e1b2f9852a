// @vitest-environment jsdom
/** The landing page's "How to capture" panel: tabs per CNI, the commands, copy buttons, both languages. */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// jsdom has no Worker: the store's bridge is never used by this panel.
vi.mock('./bridge', () => ({ WorkerBridge: class {} }));

const { useApp } = await import('./store');
const { HowTo } = await import('./HowTo');

const commands = () => screen.getAllByTestId('howto-cmd').map((e) => e.textContent ?? '');
const tab = (name: RegExp) => screen.getByRole('tab', { name });

beforeEach(() => {
  useApp.setState({ lang: 'en' });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('HowTo', () => {
  it('is a closed <details> with a summary, and the flannel tab is chosen first', () => {
    render(<HowTo />);
    const details = screen.getByTestId('howto');
    expect(details.tagName).toBe('DETAILS');
    expect(details.hasAttribute('open')).toBe(false);
    expect(within(details).getByText('How to capture').tagName).toBe('SUMMARY');
    expect(screen.getByRole('tablist', { hidden: true }).getAttribute('aria-label')).toBe('Network plugin (CNI)');
    const flannel = screen.getByRole('tab', { name: /flannel/, hidden: true });
    expect(flannel.getAttribute('aria-selected')).toBe('true');
    expect(flannel.tabIndex).toBe(0);
    expect(screen.getByTestId('howto-panel').getAttribute('aria-labelledby')).toBe(flannel.id);
    expect(screen.getByText(/stays in your browser/)).toBeTruthy();
  });

  it('shows the port and devices of each CNI in its commands', () => {
    render(<HowTo />);
    fireEvent.click(screen.getByText('How to capture'));
    /** The tcpdump commands; the ones on a NIC (or every interface) filter on `re`. */
    const expectAll = (re: RegExp) => {
      const tcpdumps = commands().filter((c) => c.startsWith('tcpdump'));
      expect(tcpdumps.length).toBeGreaterThanOrEqual(3);
      const nics = tcpdumps.filter((c) => / -i (eth0|any) /.test(c));
      expect(nics.length).toBe(3);
      for (const c of nics) expect(c).toMatch(re);
      return tcpdumps;
    };

    let c = expectAll(/8472/);
    expect(c).toContain('tcpdump -i eth0 -nn -s 0 -w client-eth0.pcap udp port 8472 or icmp');
    expect(c).toContain('tcpdump -i flannel.1 -nn -s 0 -w client-flannel1.pcap host POD_IP');
    expect(c).toContain('tcpdump -i eth0 -nn -s 0 -w server-eth0.pcap udp port 8472 or icmp');
    expect(c.some((x) => x.startsWith('tcpdump -i any '))).toBe(true);
    expect(commands()).toContain('ip -d link show flannel.1');
    expect(commands().join('\n')).not.toMatch(/4789|6081/);

    fireEvent.click(tab(/^Calico /));
    expect(screen.getByTestId('howto-panel').dataset.cni).toBe('calico');
    c = expectAll(/4789/);
    expect(c).toContain('tcpdump -i eth0 -nn -s 0 -w client-eth0.pcap udp port 4789 or icmp');
    expect(c).toContain('tcpdump -i vxlan.calico -nn -s 0 -w client-vxlan-calico.pcap host POD_IP');
    expect(commands().join('\n')).not.toMatch(/8472/);

    fireEvent.click(tab(/^Cilium /));
    c = expectAll(/8472/);
    expect(c).toContain('tcpdump -i eth0 -nn -s 0 -w server-eth0.pcap udp port 8472 or udp port 4789 or icmp');
    expect(c).toContain('tcpdump -i cilium_vxlan -nn -s 0 -w client-cilium-vxlan.pcap host POD_IP');
    expect(screen.getByTestId('howto-panel').textContent).toMatch(/tunnel-port/);

    fireEvent.click(tab(/^Geneve /));
    c = expectAll(/6081/);
    expect(c).toContain('tcpdump -i eth0 -nn -s 0 -w client-eth0.pcap udp port 6081 or icmp');
    expect(c).toContain('tcpdump -i cilium_geneve -nn -s 0 -w client-cilium-geneve.pcap host POD_IP');
    expect(c).toContain('tcpdump -i genev_sys_6081 -nn -s 0 -w client-genev-sys-6081.pcap host POD_IP');

    fireEvent.click(tab(/^No overlay /));
    c = expectAll(/POD_IP/);
    expect(c).toContain('tcpdump -i eth0 -nn -s 0 -w client-eth0.pcap host POD_IP or icmp');
    expect(commands().join('\n')).not.toMatch(/udp port|8472|4789|6081/);
    // No overlay device to capture on.
    expect(c.every((x) => / -i (eth0|any) /.test(x))).toBe(true);
  });

  it('lists the receiver counters, versions and how long to capture', () => {
    render(<HowTo />);
    const all = commands();
    for (const k of ['nstat -az UdpInCsumErrors', 'conntrack -S', 'ip -s link', 'ethtool -S eth0', 'uname -r'])
      expect(all).toContain(k);
    expect(all.some((x) => x.includes('kube-proxy'))).toBe(true);
    expect(all).toContain('ethtool -k flannel.1 | grep tx-checksum');
    const text = screen.getByTestId('howto-panel').textContent!;
    expect(text).toMatch(/at least 70 s/);
    expect(text).toMatch(/63 s/);
  });

  it('arrow keys, Home and End move between the tabs and select them', () => {
    render(<HowTo />);
    const list = screen.getByRole('tablist', { hidden: true });
    const sel = () => screen.getByTestId('howto-panel').dataset.cni;
    screen.getByTestId('howto-tab-flannel').focus();
    fireEvent.keyDown(list, { key: 'ArrowRight' });
    expect(sel()).toBe('calico');
    expect(document.activeElement).toBe(screen.getByTestId('howto-tab-calico'));
    expect(screen.getByTestId('howto-tab-calico').tabIndex).toBe(0);
    expect(screen.getByTestId('howto-tab-flannel').tabIndex).toBe(-1);
    fireEvent.keyDown(list, { key: 'End' });
    expect(sel()).toBe('plain');
    fireEvent.keyDown(list, { key: 'ArrowRight' });
    expect(sel()).toBe('flannel');
    fireEvent.keyDown(list, { key: 'ArrowLeft' });
    expect(sel()).toBe('plain');
    fireEvent.keyDown(list, { key: 'Home' });
    expect(sel()).toBe('flannel');
    expect(document.activeElement).toBe(screen.getByTestId('howto-tab-flannel'));
  });

  it('copies a command, and names it in the button label', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(<HowTo />);
    const cmd = 'tcpdump -i flannel.1 -nn -s 0 -w client-flannel1.pcap host POD_IP';
    const button = screen.getByRole('button', { name: `Copy: ${cmd}`, hidden: true });
    expect(button.textContent).toBe('Copy');
    await act(async () => {
      fireEvent.click(button);
      await Promise.resolve();
    });
    expect(writeText).toHaveBeenCalledWith(cmd);
    expect(button.textContent).toBe('Copied');
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
  });

  it('without a clipboard, selects the command instead of failing', () => {
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    render(<HowTo />);
    const button = screen.getByRole('button', { name: 'Copy: uname -r', hidden: true });
    expect(() => fireEvent.click(button)).not.toThrow();
    expect(window.getSelection()?.toString()).toBe('uname -r');
  });

  it('speaks Chinese', () => {
    useApp.setState({ lang: 'zh' });
    render(<HowTo />);
    expect(screen.getByText('如何抓包').tagName).toBe('SUMMARY');
    expect(screen.getByRole('tablist', { hidden: true }).getAttribute('aria-label')).toBe('网络插件（CNI）');
    expect(screen.getByText(/文件只留在你的浏览器里/)).toBeTruthy();
    expect(screen.getByRole('tab', { name: /无 overlay/, hidden: true })).toBeTruthy();
    const panel = screen.getByTestId('howto-panel');
    for (const s of ['在哪里抓', '抓多久', '抓包前后要记录的计数器', '客户端节点', '服务端节点', '至少再抓 70 秒']) {
      expect(panel.textContent).toContain(s);
    }
    const copy = screen.getAllByTestId('howto-copy');
    expect(copy[0]!.textContent).toBe('复制');
    expect(copy[0]!.getAttribute('aria-label')).toMatch(/^复制: /);
    // No English prose left over in the panel (commands, names and flags aside).
    const prose = Array.from(panel.querySelectorAll('p, li > span, h3, ol li'))
      .map((e) => {
        const c = e.cloneNode(true) as HTMLElement;
        c.querySelectorAll('code').forEach((x) => x.remove());
        return c.textContent ?? '';
      })
      .join('\n');
    expect(prose).not.toMatch(/\b(the|and|node|capture|packets?)\b/i);
    // Switching the language re-renders the panel with the same CNI chosen.
    fireEvent.click(screen.getByRole('tab', { name: /Calico/, hidden: true }));
    act(() => useApp.setState({ lang: 'en' }));
    expect(screen.getByText('How to capture')).toBeTruthy();
    expect(screen.getByTestId('howto-panel').dataset.cni).toBe('calico');
  });
});

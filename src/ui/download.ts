/** Save bytes or text as a file without any network request (a blob: URL, revoked soon after). */
export function saveFile(data: Uint8Array | string, name: string, type: string): void {
  const part = typeof data === 'string' ? data : (data as Uint8Array<ArrayBuffer>);
  const url = URL.createObjectURL(new Blob([part], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A capture's file name without its capture extensions (`a.pcap.gz` -> `a`), for names of files made from it. */
export function baseName(name: string | undefined, fallback: string): string {
  return (name ?? fallback).replace(/\.(pcapng|pcap|cap)(\.gz)?$/i, '') || fallback;
}

/**
 * One panel's error boundary: a panel that throws while rendering (a crafted capture, a bug)
 * shows what failed in place, and the rest of the result stays usable. Without it React would
 * unmount the whole app and leave a blank page.
 */
import { Component, type ReactNode } from 'react';
import type { Lang } from '../core/analysis/i18n';

const TEXT: Record<Lang, (panel: string, why: string) => string> = {
  en: (panel, why) => `The ${panel} panel could not be drawn for this capture (${why}). The rest of the result is still usable.`,
  zh: (panel, why) => `无法为此抓包绘制“${panel}”面板（${why}）。结果的其余部分仍然可用。`,
};

interface Props {
  /** Panel name for the message (already in the user's language). */
  name: string;
  lang: Lang;
  /** A new value (a new report) clears the error and tries again. */
  resetKey: unknown;
  children: ReactNode;
}

interface State {
  error: Error | null;
  key: unknown;
}

export class Boundary extends Component<Props, State> {
  override state: State = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(p: Props, s: State): Partial<State> | null {
    return p.resetKey !== s.key ? { error: null, key: p.resetKey } : null;
  }

  override render(): ReactNode {
    const e = this.state.error;
    if (!e) return this.props.children;
    return (
      <section className="panel panel-failed" role="alert" data-testid="panel-error">
        <p>{TEXT[this.props.lang](this.props.name, e.message)}</p>
      </section>
    );
  }
}

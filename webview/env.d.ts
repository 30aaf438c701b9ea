// The webview runs in a browser: give these files the DOM types (the root tsconfig targets Node).
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

/** Injected by VS Code into webviews; absent in the standalone report. */
declare function acquireVsCodeApi(): {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
};

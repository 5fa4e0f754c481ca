/** A small Disposable base class: register children with `_register`, dispose them all at once. */
import type * as vscode from 'vscode';

export abstract class Disposable implements vscode.Disposable {
  private readonly children: { dispose(): unknown }[] = [];
  private disposed = false;

  /** Dispose `d` with this object (immediately, if this object is already disposed). */
  protected _register<T extends { dispose(): unknown }>(d: T): T {
    if (this.disposed) d.dispose();
    else this.children.push(d);
    return d;
  }

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Last registered first, like a stack of resources.
    for (const d of this.children.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // one failing child must not keep the others alive
      }
    }
  }
}

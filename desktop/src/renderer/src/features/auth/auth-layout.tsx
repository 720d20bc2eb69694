import type { ReactNode } from 'react';

export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-card card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            C
          </span>
          <span>Collaro</span>
        </div>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

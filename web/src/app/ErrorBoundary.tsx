import type { ComponentChildren } from 'preact';
import { useErrorBoundary } from 'preact/hooks';
import { ErrorState } from '../components/States';

/** A page that fails to render shows an error with a retry instead of a blank screen. */
export function ErrorBoundary({ children }: { children: ComponentChildren }) {
  const [error, reset] = useErrorBoundary((err) => console.error(err));
  if (error) return <ErrorState error={error} onRetry={reset} />;
  return <>{children}</>;
}

import { useLayoutEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';

export function Redirect({ to }: { to: string }) {
  const { route } = useLocation();
  useLayoutEffect(() => route(to, true), [to]);
  return null;
}

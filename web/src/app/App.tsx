import { useEffect, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { ConfirmHost } from '../components/Confirm';
import { ToastHost } from '../components/Toast';
import { ErrorState, Loading } from '../components/States';
import { loadMe, me } from '../lib/session';
import { AcceptInvitationPage } from '../features/auth/AcceptInvitationPage';
import { ForgotPasswordPage } from '../features/auth/ForgotPasswordPage';
import { LoginPage } from '../features/auth/LoginPage';
import { ResetPasswordPage } from '../features/auth/ResetPasswordPage';
import { SignupPage } from '../features/auth/SignupPage';
import { Redirect } from './Redirect';
import { AppRoutes } from './routes';
import { Shell } from './Shell';

/** Pages for people who are not signed in (or are accepting a link). */
const PUBLIC_PATHS = ['/login', '/signup', '/forgot-password', '/reset-password', '/accept-invitation'];
/** Of those, the ones a signed-in person has no use for. */
const SIGNED_OUT_ONLY = ['/login', '/signup', '/forgot-password'];

function Root() {
  const { path, url, query } = useLocation();
  const [bootError, setBootError] = useState<unknown>(null);
  const boot = () => {
    setBootError(null);
    loadMe().catch(setBootError);
  };
  useEffect(boot, []);

  const session = me.value;
  if (bootError) return <ErrorState error={bootError} onRetry={boot} />;
  if (session === undefined) return <Loading />;

  if (PUBLIC_PATHS.includes(path)) {
    if (session && SIGNED_OUT_ONLY.includes(path)) return <Redirect to={safeNext(query.next)} />;
    return (
      <Router>
        <Route path="/login" component={LoginPage} />
        <Route path="/signup" component={SignupPage} />
        <Route path="/forgot-password" component={ForgotPasswordPage} />
        <Route path="/reset-password" component={ResetPasswordPage} />
        <Route path="/accept-invitation" component={AcceptInvitationPage} />
      </Router>
    );
  }
  if (!session) return <Redirect to={path === '/' ? '/login' : `/login?next=${encodeURIComponent(url)}`} />;
  return (
    <Shell>
      <AppRoutes />
    </Shell>
  );
}

/** Only our own paths are followed after sign-in (never another site). */
function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/customers';
}

export function App() {
  return (
    <LocationProvider>
      <Root />
      <ConfirmHost />
      <ToastHost />
    </LocationProvider>
  );
}

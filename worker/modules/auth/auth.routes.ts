import { Hono } from 'hono';
import type { AppEnv } from '../../middleware/context';
import { ctx, publicCtx } from '../../middleware/context';
import { clearSessionCookie, requireAuth, requireUser, setSessionCookie } from '../../middleware/auth';
import { doc, validate } from '../../lib/validate';
import {
  acceptInvitationInput,
  changePasswordInput,
  forgotPasswordInput,
  loginInput,
  resetPasswordInput,
  signupInput,
  totpConfirmInput,
  totpDisableInput,
  updateProfileInput,
} from './auth.schema';
import * as auth from './auth.service';
import { acceptInvitation, previewInvitation } from '../users/invitations.service';

export const authRoutes = new Hono<AppEnv>()
  .post('/signup', doc({ summary: 'Create a workspace and its owner, and sign in', tags: ['auth'], public: true, status: 201 }), validate('json', signupInput), async (c) => {
    const { token, me } = await auth.signup(publicCtx(c), c.req.valid('json'));
    setSessionCookie(c, token);
    return c.json(me, 201);
  })
  .post('/login', doc({ summary: 'Sign in', tags: ['auth'], public: true }), validate('json', loginInput), async (c) => {
    const { token, me } = await auth.login(publicCtx(c), c.req.valid('json'));
    setSessionCookie(c, token);
    return c.json(me);
  })
  .post('/logout', doc({ summary: 'Sign out (ends this session; harmless when signed out)', tags: ['auth'], public: true, status: 204 }), async (c) => {
    if (c.get('actor')) await auth.logout(ctx(c));
    clearSessionCookie(c);
    return c.body(null, 204);
  })
  .post('/password/forgot', doc({ summary: 'Email a password reset link', tags: ['auth'], public: true, status: 202 }), validate('json', forgotPasswordInput), async (c) => {
    await auth.requestPasswordReset(publicCtx(c), c.req.valid('json').email);
    return c.json({ ok: true }, 202);
  })
  .post('/password/reset', doc({ summary: 'Set a new password from an emailed link', tags: ['auth'], public: true, status: 204 }), validate('json', resetPasswordInput), async (c) => {
    const { token, password } = c.req.valid('json');
    await auth.resetPassword(publicCtx(c), token, password);
    return c.body(null, 204);
  })
  .get('/invitations/:token', doc({ summary: 'Look at an invitation before accepting it', tags: ['auth'], public: true }), async (c) => {
    return c.json(await previewInvitation(publicCtx(c), c.req.param('token')));
  })
  .post('/invitations/accept', doc({ summary: 'Accept an invitation: create the account and sign in', tags: ['auth'], public: true, status: 201 }), validate('json', acceptInvitationInput), async (c) => {
    const { token, me } = await acceptInvitation(publicCtx(c), c.req.valid('json'));
    setSessionCookie(c, token);
    return c.json(me, 201);
  });

export const meRoutes = new Hono<AppEnv>()
  .get('/', doc({ summary: 'The signed-in user, role, workspace and permissions', tags: ['auth'] }), requireAuth, async (c) => c.json(await auth.getMe(ctx(c))))
  .patch('/', doc({ summary: 'Update my profile (name, language, time zone)', tags: ['auth'] }), requireUser, validate('json', updateProfileInput), async (c) =>
    c.json(await auth.updateProfile(ctx(c), c.req.valid('json'))),
  )
  .post('/password', doc({ summary: 'Change my password (ends my other sessions)', tags: ['auth'], status: 204 }), requireUser, validate('json', changePasswordInput), async (c) => {
    const { currentPassword, newPassword } = c.req.valid('json');
    await auth.changePassword(ctx(c), currentPassword, newPassword);
    return c.body(null, 204);
  })
  .post('/totp', doc({ summary: 'Start two-factor enrolment', tags: ['auth'] }), requireUser, async (c) => c.json(auth.beginTotp(ctx(c))))
  .post('/totp/confirm', doc({ summary: 'Confirm two-factor enrolment with a code', tags: ['auth'], status: 204 }), requireUser, validate('json', totpConfirmInput), async (c) => {
    const { secret, code } = c.req.valid('json');
    await auth.confirmTotp(ctx(c), secret, code);
    return c.body(null, 204);
  })
  .post('/totp/disable', doc({ summary: 'Turn two-factor sign-in off', tags: ['auth'], status: 204 }), requireUser, validate('json', totpDisableInput), async (c) => {
    await auth.disableTotp(ctx(c), c.req.valid('json').password);
    return c.body(null, 204);
  });

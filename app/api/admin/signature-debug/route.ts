import { route } from '@/lib/route';
import { debugSignature, SignatureDebugInput } from '@/lib/signature-debug';

export const dynamic = 'force-dynamic';

/** Like WeCom's signature tool, for the signed-in admin's corp (third-party mode serves many corps). */
export const POST = route({ auth: 'admin-change', body: SignatureDebugInput }, ({ corp, body }) =>
  debugSignature(corp, body),
);

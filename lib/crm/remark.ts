import 'server-only';
import { errcodeOf, invalidField, noLongerYourCustomer, nowOf, type CrmDeps, type Viewer } from './context';
import { toCustomerProfile, type CustomerProfile } from '../wecom/contacts';
import { forgetFollowers, patchCachedFollow, requireAccess } from './followers';
import { checkRemark, type RemarkInput } from './limits';
import { addEntry } from './timeline';

/**
 * externalcontact/remark as the signed-in member: the same limits as the browser checks (remark ≤ 20,
 * description ≤ 150, remark company ≤ 20 for WeChat customers only), mobiles replace the old list and an empty
 * list is sent as `[""]` (WeCom's way to clear them). The timeline records which fields changed, not their values
 * (other followers must not see this member's remark or mobiles).
 */
export async function updateRemark(
  deps: CrmDeps,
  viewer: Viewer,
  externalUserId: string,
  input: RemarkInput,
): Promise<{ fields: string[]; profile: CustomerProfile }> {
  const early = checkRemark(input);
  if (early) throw invalidField(early);
  const followers = await requireAccess(deps, viewer, externalUserId, { write: true });
  const problem = checkRemark(input, followers.type);
  if (problem) throw invalidField(problem);
  const body: Record<string, unknown> = { userid: viewer.userId, external_userid: externalUserId };
  if (input.remark !== undefined) body.remark = input.remark;
  if (input.description !== undefined) body.description = input.description;
  if (input.remarkCompany !== undefined) body.remark_company = input.remarkCompany;
  if (input.remarkMobiles !== undefined)
    body.remark_mobiles = input.remarkMobiles.length > 0 ? input.remarkMobiles : [''];
  try {
    await deps.wecom.call('externalcontact/remark', { method: 'POST', body });
  } catch (err) {
    if (errcodeOf(err) === 84061) {
      await forgetFollowers(deps, externalUserId);
      throw noLongerYourCustomer();
    }
    throw err;
  }
  const updated = await patchCachedFollow(deps, followers, viewer.userId, (f) => {
    if (input.remark !== undefined) f.remark = input.remark;
    if (input.description !== undefined) f.description = input.description;
    if (input.remarkCompany !== undefined && followers.type === 'wechat')
      f.remark_corp_name = input.remarkCompany;
    if (input.remarkMobiles !== undefined) f.remark_mobiles = input.remarkMobiles;
  });
  const fields = (['remark', 'description', 'remarkCompany', 'remarkMobiles'] as const).filter(
    (f) => input[f] !== undefined,
  );
  await addEntry(deps.db, deps.corpId, {
    externalUserId,
    kind: 'remark',
    at: nowOf(deps),
    actor: { userId: viewer.userId, name: viewer.name },
    data: { fields },
    source: 'app',
  });
  return { fields, profile: toCustomerProfile(updated.detail, viewer.userId) };
}

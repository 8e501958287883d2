import { Avatar, Chip } from '@/components/ui';
import type { CustomerProfile } from '@/lib/contacts-dto';
import type { Lang } from '@/lib/bilingual';
import { formatDateTime, messages } from './i18n';
import styles from './sidebar.module.css';

/** The customer as the current employee sees them: identity, my notes, tags by group, how they were added. */
export function CustomerProfileCard({ profile, lang }: { profile: CustomerProfile; lang: Lang }) {
  const t = messages(lang);
  const f = profile.follow;
  const gender = profile.gender === 'male' ? t.male : profile.gender === 'female' ? t.female : null;
  const hasNotes = f.remark || f.description || f.remarkCorpName || f.remarkMobiles.length > 0;
  return (
    <div data-testid="customer-profile" style={{ display: 'contents' }}>
      <section className={styles.card} aria-label={profile.name}>
        <div className={styles.header}>
          <Avatar src={profile.avatar} name={profile.name} size={52} />
          <div className={styles.headerMain}>
            <div className={styles.nameRow}>
              <h1 className={styles.name} data-testid="customer-name">
                {profile.name}
              </h1>
              {profile.type === 'wecom' ? (
                <span className={styles.typeWecom} data-testid="customer-type">
                  @{profile.corpName ?? t.wecom}
                </span>
              ) : (
                <span className={styles.typeWechat} data-testid="customer-type">
                  @{t.wechat}
                </span>
              )}
            </div>
            {f.remark ? (
              <p className={styles.sub}>
                {t.remark}：{f.remark}
              </p>
            ) : null}
            <p className={styles.sub}>
              {[gender ?? t.genderUnknown, profile.type === 'wecom' ? profile.position : null]
                .filter(Boolean)
                .join(' · ')}
            </p>
          </div>
        </div>
        {profile.type === 'wecom' &&
        (profile.position || profile.corpFullName || profile.externalProfile.length > 0) ? (
          <dl className={styles.fields} style={{ marginTop: 10 }}>
            {profile.corpFullName ? (
              <>
                <dt>{t.corp}</dt>
                <dd>{profile.corpFullName}</dd>
              </>
            ) : null}
            {profile.position ? (
              <>
                <dt>{t.position}</dt>
                <dd>{profile.position}</dd>
              </>
            ) : null}
            {profile.externalProfile.map((a, i) => (
              <div
                key={`${a.name}-${i}`}
                data-testid="external-attr"
                data-kind={a.kind}
                style={{ display: 'contents' }}
              >
                <dt>{a.name}</dt>
                <dd>
                  {a.kind === 'text' ? (
                    a.text
                  ) : a.kind === 'web' ? (
                    <a href={a.url} target="_blank" rel="noopener noreferrer">
                      {a.title}
                    </a>
                  ) : (
                    `${t.miniprogram}：${a.title}`
                  )}
                </dd>
              </div>
            ))}
          </dl>
        ) : null}
      </section>

      <section className={styles.card} data-testid="my-notes">
        <h2 className={styles.cardTitle}>{t.myRemark}</h2>
        {hasNotes ? (
          <dl className={styles.fields}>
            {f.remark ? (
              <>
                <dt>{t.remark}</dt>
                <dd data-testid="remark">{f.remark}</dd>
              </>
            ) : null}
            {f.description ? (
              <>
                <dt>{t.description}</dt>
                <dd data-testid="description">{f.description}</dd>
              </>
            ) : null}
            {f.remarkCorpName ? (
              <>
                <dt>{t.remarkCorp}</dt>
                <dd>{f.remarkCorpName}</dd>
              </>
            ) : null}
            {f.remarkMobiles.length > 0 ? (
              <>
                <dt>{t.mobiles}</dt>
                <dd data-testid="mobiles">
                  {f.remarkMobiles.map((m, i) => (
                    <span key={m}>
                      {i > 0 ? '、' : null}
                      <a href={`tel:${m}`}>{m}</a>
                    </span>
                  ))}
                </dd>
              </>
            ) : null}
          </dl>
        ) : (
          <p className={styles.muted} style={{ margin: 0, fontSize: 13 }}>
            {t.noRemark}
          </p>
        )}
      </section>

      <section className={styles.card} data-testid="tags">
        <h2 className={styles.cardTitle}>{t.tags}</h2>
        {f.tagGroups.length === 0 ? (
          <p className={styles.muted} style={{ margin: 0, fontSize: 13 }}>
            {t.noTags}
          </p>
        ) : (
          f.tagGroups.map((g) => (
            <div key={g.groupName} className={styles.tagGroup} data-testid="tag-group">
              <span className={styles.tagGroupName}>{g.groupName}</span>
              <div className={styles.chips}>
                {g.tags.map((tag) => (
                  <Chip key={tag.name} tone={tag.kind === 'personal' ? 'muted' : 'accent'}>
                    {tag.name}
                  </Chip>
                ))}
              </div>
            </div>
          ))
        )}
      </section>

      <section className={styles.card} data-testid="added">
        <h2 className={styles.cardTitle}>{t.added}</h2>
        <dl className={styles.fields}>
          <dt>{t.addedAt}</dt>
          <dd>{formatDateTime(f.addedAt, lang)}</dd>
          <dt>{t.addWay}</dt>
          <dd data-testid="add-way">{f.addWayText[lang]}</dd>
        </dl>
      </section>

      <p className={styles.footerNote} data-testid="other-followers">
        {t.otherFollowers(profile.otherFollowerCount)}
      </p>
    </div>
  );
}

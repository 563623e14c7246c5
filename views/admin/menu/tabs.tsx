export type MenuTab = "items" | "groups" | "taxes" | "csv";

const TABS: [MenuTab, string, string][] = [
  ["items", "Categories & items", "/admin/menu"],
  ["groups", "Modifier groups", "/admin/menu/groups"],
  ["taxes", "Tax & pricing", "/admin/menu/taxes"],
  ["csv", "Import / export", "/admin/menu/csv"],
];

export function MenuTabs(props: { current: MenuTab }) {
  return (
    <nav class="menu-tabs" aria-label="Menu sections">
      {TABS.map(([key, label, href]) => (
        <a href={href} class="menu-tab" aria-current={key === props.current ? "page" : undefined} safe>{label}</a>
      ))}
    </nav>
  );
}

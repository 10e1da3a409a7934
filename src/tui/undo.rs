//! Undo and redo (`Ctrl-Z` / `Ctrl-Y`) for every edit of the plan.
//!
//! Plans can be huge (ten thousand KPIs with a hundred actuals each), so the
//! history never copies the whole plan. It works in three moves:
//!
//! 1. **Before** a key that may edit, the app calls [`History::prepare`] with
//!    a [`Scope`]: the parts of the plan that key can touch. The scope comes
//!    from the step ([`Scope::for_step`]): its sections (step 5: `kpis`; step
//!    8: `team` and the KPI owners; …). Small sections are copied whole. The
//!    three lists that grow big (`goals`, `kpis`, `actions`) are copied whole
//!    only for keys that change their shape (add, delete, move, toggle a
//!    row, a catalogue pick); for typing, choices and ticks only the element
//!    the form edits is copied — `Ctx::item` and `Ctx::row` say which.
//! 2. **After** the edit, [`History::record`] compares that copy with the plan
//!    and keeps only what differs: a whole small section ([`Change::Whole`]),
//!    or for a list the smallest run of elements that changed
//!    ([`Change::Splice`]: common prefix and suffix are dropped, so adding,
//!    deleting or swapping a row of twenty thousand keeps one or two rows).
//! 3. **Undo** puts the kept parts back and keeps what it replaced, which is
//!    the redo step; redo does the same the other way round.
//!
//! Typing into one field coalesces into one step until the field changes or
//! the typing pauses ([`PAUSE`]). The history holds at most [`LIMIT`] steps.
//!
//! An edit made without a `prepare` first cannot be undone safely (what it
//! replaced is gone), so the history is cleared rather than let an undo mix
//! two versions of the plan. This module never touches the terminal or the
//! file; the session (`app.rs`) bumps the revision and resets the editors.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::plan::{
    Action, Funnel, Goal, Kpi, MarketingMix, Persona, Plan, PlanHeader, Remedy, Research, Scenario,
    Situation, Team, Tool,
};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::Session;
use super::form::{Form, Kind};
use super::steps::Step;
use super::text::safe;
use crate::i18n::{t, tf};

/// Most steps kept.
pub const LIMIT: usize = 200;
/// Typing after a pause this long starts a new step.
pub const PAUSE: Duration = Duration::from_millis(1200);

macro_rules! sections {
    ($($variant:ident => $field:ident : $ty:ty),* $(,)?) => {
        /// A section of the plan kept whole.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Section { $($variant),* }

        /// The content of a section.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Value { $($variant($ty)),* }

        impl Value {
            fn copy(section: Section, plan: &Plan) -> Value {
                match section { $(Section::$variant => Value::$variant(plan.$field.clone())),* }
            }

            fn same_as(&self, plan: &Plan) -> bool {
                match self { $(Value::$variant(v) => *v == plan.$field),* }
            }

            /// Puts this content back; returns what it replaced.
            fn swap(self, plan: &mut Plan) -> Value {
                match self {
                    $(Value::$variant(v) => Value::$variant(std::mem::replace(&mut plan.$field, v))),*
                }
            }
        }
    };
}

sections! {
    Header => plan: PlanHeader,
    Research => research: Research,
    Situation => situation: Situation,
    MarketingMix => marketing_mix: MarketingMix,
    Funnel => funnel: Option<Funnel>,
    Team => team: Team,
}

macro_rules! lists {
    ($($variant:ident => $field:ident : $ty:ty),* $(,)?) => {
        /// A list of the plan.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum List { $($variant),* }

        /// Some elements of a list.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Items { $($variant(Vec<$ty>)),* }

        impl Items {
            fn len(&self) -> usize {
                match self { $(Items::$variant(v) => v.len()),* }
            }

            fn list_len(list: List, plan: &Plan) -> usize {
                match list { $(List::$variant => plan.$field.len()),* }
            }

            /// Copies elements `range` of `list`.
            fn copy(list: List, plan: &Plan, range: std::ops::Range<usize>) -> Items {
                match list { $(List::$variant => Items::$variant(plan.$field[range].to_vec())),* }
            }

            /// Replaces `len` elements from `start` with these; returns them.
            fn splice(self, plan: &mut Plan, start: usize, len: usize) -> Items {
                match self {
                    $(Items::$variant(v) => Items::$variant(
                        plan.$field.splice(start..start + len, v).collect(),
                    )),*
                }
            }

            /// The change from this copy of a whole list to the plan's list.
            fn diff_whole(self, plan: &Plan) -> Option<Change> {
                match self { $(Items::$variant(old) => {
                    let (start, len, old) = diff(old, &plan.$field)?;
                    Some(Change::Splice { start, len, items: Items::$variant(old) })
                })* }
            }

            /// The change from this copy of element `index` (a one-element
            /// list) to the plan's element.
            fn diff_one(self, plan: &Plan, index: usize) -> Option<Change> {
                match self { $(Items::$variant(old) => {
                    (plan.$field.get(index) != old.first()).then(|| Change::Splice {
                        start: index,
                        len: 1,
                        items: Items::$variant(old),
                    })
                })* }
            }
        }
    };
}

lists! {
    Personas => personas: Persona,
    Goals => goals: Goal,
    Kpis => kpis: Kpi,
    Scenarios => scenarios: Scenario,
    Remedies => remedies: Remedy,
    Actions => actions: Action,
    Tools => tools: Tool,
}

impl List {
    /// Lists that can hold thousands of elements: copied per element when
    /// only one element can change.
    fn big(self) -> bool {
        matches!(self, List::Goals | List::Kpis | List::Actions)
    }
}

/// The shortest run that differs between `old` and `new`: `(start, length
/// in new, the old elements of the run)`, or `None` when they are equal.
fn diff<T: PartialEq>(mut old: Vec<T>, new: &[T]) -> Option<(usize, usize, Vec<T>)> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    if prefix == old.len() && prefix == new.len() {
        return None;
    }
    let room = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    old.truncate(old.len() - suffix);
    let run: Vec<T> = old.drain(prefix..).collect();
    Some((prefix, new.len() - suffix - prefix, run))
}

/// One part of an undo step: content to put back.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Whole(Box<Value>),
    /// Replace `len` elements from `start` with `items`.
    Splice {
        start: usize,
        len: usize,
        items: Items,
    },
}

impl Change {
    /// Applies the change; returns the change that reverts it.
    fn apply(self, plan: &mut Plan) -> Change {
        match self {
            Change::Whole(v) => Change::Whole(Box::new(v.swap(plan))),
            Change::Splice { start, len, items } => {
                let new_len = items.len();
                let old = items.splice(plan, start, len);
                Change::Splice {
                    start,
                    len: new_len,
                    items: old,
                }
            }
        }
    }
}

/// Which parts of the plan a key may touch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    sections: Vec<Section>,
    /// Lists copied whole.
    lists: Vec<List>,
    /// Lists of which only these elements can change.
    elements: Vec<(List, Vec<usize>)>,
}

impl Scope {
    /// Everything (a recovered or hand-edited plan replaces it all).
    pub fn all() -> Scope {
        Scope {
            sections: vec![
                Section::Header,
                Section::Research,
                Section::Situation,
                Section::MarketingMix,
                Section::Funnel,
                Section::Team,
            ],
            lists: vec![
                List::Personas,
                List::Goals,
                List::Kpis,
                List::Scenarios,
                List::Remedies,
                List::Actions,
                List::Tools,
            ],
            elements: Vec::new(),
        }
    }

    /// One list, whole (e.g. a KPI added from the catalogue).
    pub fn list(list: List) -> Scope {
        Scope {
            lists: vec![list],
            ..Scope::default()
        }
    }

    /// What the forms of `step` can edit. `shape` is true for keys that may
    /// add, delete, move or toggle rows; otherwise only the element(s)
    /// `item` and `row` of the big lists are copied.
    pub fn for_step(step: Step, shape: bool, item: usize, row: usize) -> Scope {
        use List as L;
        use Section as S;
        let (sections, lists): (&[Section], &[List]) = match step {
            Step::Research => (&[S::Header, S::Research], &[]),
            Step::Customers => (&[], &[L::Personas]),
            Step::Situation => (&[S::Situation, S::MarketingMix], &[]),
            Step::Goals => (&[], &[L::Goals]),
            Step::Kpis => (&[], &[L::Kpis]),
            Step::Forecast => (&[S::Funnel], &[L::Kpis, L::Scenarios]),
            Step::Gaps => (&[], &[L::Remedies, L::Kpis]),
            Step::Team => (&[S::Team, S::Funnel], &[L::Kpis]),
            Step::Actions => (&[], &[L::Actions]),
            Step::Tools => (&[], &[L::Tools]),
        };
        let mut scope = Scope {
            sections: sections.to_vec(),
            ..Scope::default()
        };
        for list in lists {
            if list.big() && !shape {
                let mut at = vec![item];
                if row != item {
                    at.push(row);
                }
                scope.elements.push((*list, at));
            } else {
                scope.lists.push(*list);
            }
        }
        scope
    }
}

/// A list copied per element: its length, and each element `(index, copy)`.
type Elements = (List, usize, Vec<(usize, Items)>);

/// A copy of the scope's parts, taken before an edit.
#[derive(Debug)]
struct Before {
    /// In debug builds, on small plans: the whole plan, to check that the
    /// scope held everything the edit changed (tests fail loudly if not).
    #[cfg(debug_assertions)]
    audit: Option<Box<Plan>>,
    place: Place,
    typing: Option<Origin>,
    /// What the edit is, for the undo message ("typing in Company").
    label: String,
    sections: Vec<Value>,
    lists: Vec<Items>,
    /// Per list: its length, and a copy of each element that may change.
    elements: Vec<Elements>,
}

impl Before {
    fn take(
        plan: &Plan,
        scope: &Scope,
        place: Place,
        typing: Option<Origin>,
        label: String,
    ) -> Before {
        Before {
            label,
            #[cfg(debug_assertions)]
            audit: (plan.kpis.len() + plan.actions.len() + plan.goals.len() < 300)
                .then(|| Box::new(plan.clone())),
            place,
            typing,
            sections: scope
                .sections
                .iter()
                .map(|s| Value::copy(*s, plan))
                .collect(),
            lists: scope
                .lists
                .iter()
                .map(|l| Items::copy(*l, plan, 0..Items::list_len(*l, plan)))
                .collect(),
            elements: scope
                .elements
                .iter()
                .map(|(list, at)| {
                    let len = Items::list_len(*list, plan);
                    let copies = at
                        .iter()
                        .filter(|i| **i < len)
                        .map(|i| (*i, Items::copy(*list, plan, *i..*i + 1)))
                        .collect();
                    (*list, len, copies)
                })
                .collect(),
        }
    }

    /// What changed since the copy; `None` when something changed that the
    /// copy cannot restore (a list copied per element changed its length).
    fn changes(self, plan: &Plan) -> Option<Vec<Change>> {
        let mut changes = Vec::new();
        for v in self.sections {
            if !v.same_as(plan) {
                changes.push(Change::Whole(Box::new(v)));
            }
        }
        for items in self.lists {
            changes.extend(items.diff_whole(plan));
        }
        for (list, len, copies) in self.elements {
            if Items::list_len(list, plan) != len {
                return None;
            }
            for (i, items) in copies {
                changes.extend(items.diff_one(plan, i));
            }
        }
        Some(changes)
    }
}

/// Where an edit was made, to show it again after undo or redo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub step: Step,
    /// The focused field of the step's form.
    pub focus: usize,
    /// The selected row of each table field of that form.
    pub rows: HashMap<usize, usize>,
}

/// What identifies "the same field" for coalescing typing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub step: Step,
    /// The focused field, and the focused field of the row popup (if open).
    pub field: usize,
    pub popup_field: Option<usize>,
    pub item: usize,
    pub row: usize,
}

#[derive(Debug)]
struct Entry {
    changes: Vec<Change>,
    place: Place,
    /// What the step did, as undo and redo name it.
    label: String,
    serial: u64,
}

/// The undo and redo stacks of one session.
#[derive(Debug, Default)]
pub struct History {
    undo: VecDeque<Entry>,
    redo: Vec<Entry>,
    before: Option<Before>,
    /// The field typed into last, and when: the next keystroke there joins
    /// the same step.
    typing: Option<(Origin, Instant)>,
    serial: u64,
}

/// What undo or redo did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moved {
    /// Nothing to undo (or redo).
    Nothing,
    /// Undone (or redone): where it was, and what it was.
    Done(Place, String),
}

impl History {
    /// Copies what a key in `scope` may change (call before the key).
    /// `place` is where the edit shows; `typing` names the text field typed
    /// into, so that keystrokes there coalesce; `label` says what the edit
    /// is (undo and redo name it: "Undone: typing in Company").
    pub fn prepare(
        &mut self,
        plan: &Plan,
        scope: &Scope,
        place: Place,
        typing: Option<Origin>,
        label: String,
    ) {
        self.before = Some(Before::take(plan, scope, place, typing, label));
    }

    /// Drops a copy no edit used (a copy serves one key only).
    pub fn unprepare(&mut self) {
        self.before = None;
    }

    /// Records the edit just made as a step (after the key).
    pub fn record(&mut self, plan: &Plan) {
        let Some(before) = self.before.take() else {
            // An edit we have no copy for: undoing past it would be wrong.
            self.clear();
            return;
        };
        let (place, typing, label) = (before.place.clone(), before.typing, before.label.clone());
        #[cfg(debug_assertions)]
        let audit = before.audit.clone();
        let Some(changes) = before.changes(plan) else {
            self.clear();
            return;
        };
        #[cfg(debug_assertions)]
        if let Some(audit) = audit {
            let mut undone = plan.clone();
            for c in changes.iter().rev() {
                c.clone().apply(&mut undone);
            }
            debug_assert!(
                undone == *audit,
                "an edit in {:?} changed the plan outside its undo scope",
                place.step
            );
        }
        if changes.is_empty() {
            return;
        }
        self.redo.clear();
        let now = Instant::now();
        let joins = match (&self.typing, typing) {
            (Some((last, at)), Some(origin)) => *last == origin && now - *at < PAUSE,
            _ => false,
        };
        self.typing = typing.map(|o| (o, now));
        if joins && let Some(last) = self.undo.back_mut() {
            // The earlier copy of each part is the one to go back to.
            for c in changes {
                if !last.changes.iter().any(|k| same_part(k, &c)) {
                    last.changes.push(c);
                }
            }
            return;
        }
        self.serial += 1;
        self.undo.push_back(Entry {
            changes,
            place,
            label,
            serial: self.serial,
        });
        while self.undo.len() > LIMIT {
            self.undo.pop_front();
        }
    }

    /// Undoes the latest step.
    pub fn undo(&mut self, plan: &mut Plan) -> Moved {
        self.before = None;
        self.typing = None;
        let Some(entry) = self.undo.pop_back() else {
            return Moved::Nothing;
        };
        let (place, label) = (entry.place.clone(), entry.label.clone());
        self.redo.push(revert(entry, plan));
        Moved::Done(place, label)
    }

    /// Redoes the latest undone step.
    pub fn redo(&mut self, plan: &mut Plan) -> Moved {
        self.before = None;
        self.typing = None;
        let Some(entry) = self.redo.pop() else {
            return Moved::Nothing;
        };
        let (place, label) = (entry.place.clone(), entry.label.clone());
        self.undo.push_back(revert(entry, plan));
        Moved::Done(place, label)
    }

    /// A mark for [`History::forget_since`]: the latest step now.
    pub fn mark(&self) -> u64 {
        self.undo.back().map_or(0, |e| e.serial)
    }

    /// Drops the steps recorded after `mark` without applying them: the
    /// caller has put the plan back as it was at the mark itself (a row
    /// popup cancelled with Esc).
    pub fn forget_since(&mut self, mark: u64) {
        self.before = None;
        self.typing = None;
        while self.undo.back().is_some_and(|e| e.serial > mark) {
            self.undo.pop_back();
        }
        self.redo.clear();
    }

    /// Joins the steps recorded after `mark` into one step named `label`
    /// (a row popup closed with Done: the row is one step, whatever was
    /// typed in it). Its place is the first one's (the table).
    pub fn join_since(&mut self, mark: u64, label: String) {
        self.before = None;
        self.typing = None;
        let mut joined: Vec<Entry> = Vec::new();
        while self.undo.back().is_some_and(|e| e.serial > mark) {
            joined.push(self.undo.pop_back().expect("checked"));
        }
        joined.reverse();
        let Some(first) = joined.first() else {
            return;
        };
        let place = first.place.clone();
        let serial = joined.last().map_or(first.serial, |e| e.serial);
        // Applied newest first, so the oldest step's changes go first.
        let changes = joined.into_iter().flat_map(|e| e.changes).collect();
        self.undo.push_back(Entry {
            changes,
            place,
            label,
            serial,
        });
    }

    /// Steps that can be undone, and redone.
    pub fn depth(&self) -> (usize, usize) {
        (self.undo.len(), self.redo.len())
    }

    /// Forgets everything (the plan was replaced, e.g. reloaded from disk).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
        self.before = None;
        self.typing = None;
    }
}

/// Whether a key only moves around a table or list (and so edits nothing).
fn moves_only(key: &KeyEvent) -> bool {
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::SHIFT | KeyModifiers::ALT | KeyModifiers::CONTROL);
    matches!(key.code, KeyCode::Tab | KeyCode::BackTab)
        || plain
            && matches!(
                key.code,
                KeyCode::Up
                    | KeyCode::Down
                    | KeyCode::PageUp
                    | KeyCode::PageDown
                    | KeyCode::Home
                    | KeyCode::End
                    | KeyCode::Enter
                    | KeyCode::Char('v')
            )
}

impl Session {
    /// Where the focus is now, to come back to after undo or redo.
    fn place(&self) -> Place {
        let state = self.forms.get(&self.step);
        Place {
            step: self.step,
            focus: state.map_or(0, |s| s.focus),
            rows: state.map(|s| s.rows.clone()).unwrap_or_default(),
        }
    }

    /// Copies what the next edit may change (see the module doc), named
    /// after the step it is made in; prefer [`Session::prepare_labelled`].
    pub fn prepare_edit(&mut self, scope: Scope) {
        let step = tf("ui.step_n", &[("n", &(self.step.index() + 1))]);
        self.prepare_labelled(scope, tf("msg.undo_edit_in", &[("step", &step)]));
    }

    /// Copies what the next edit may change; `label` says what it is
    /// (`undo.*` messages: "adding the KPI 'MRR'").
    pub fn prepare_labelled(&mut self, scope: Scope, label: String) {
        let place = self.place();
        self.history
            .prepare(&self.file.plan, &scope, place, None, label);
    }

    /// Before a key (`None`: a paste) goes to field `focus` of `form`, which
    /// is the step's form or, with `popup` (its table field), a row popup.
    pub fn prepare_for(
        &mut self,
        form: &Form,
        focus: usize,
        key: Option<KeyEvent>,
        popup: Option<usize>,
    ) {
        let Some(field) = form.field(focus) else {
            self.history.unprepare();
            return;
        };
        let rows_or_own_keys = matches!(field.kind, Kind::Table(_) | Kind::Custom(_));
        if rows_or_own_keys && key.as_ref().is_some_and(moves_only) {
            self.history.unprepare();
            return;
        }
        let ctx = form.ctx;
        let scope = Scope::for_step(self.step, rows_or_own_keys, ctx.item, ctx.row);
        let step_focus = self.forms.get(&self.step).map_or(0, |s| s.focus);
        let typing = field.takes_text().then_some(Origin {
            step: self.step,
            field: popup.unwrap_or(step_focus),
            popup_field: popup.map(|_| focus),
            item: ctx.item,
            row: ctx.row,
        });
        let place = self.place();
        let name = safe(field.label());
        let label = if typing.is_some() {
            tf("msg.undo_typing", &[("field", &name)])
        } else {
            tf("msg.undo_change", &[("field", &name)])
        };
        self.history
            .prepare(&self.file.plan, &scope, place, typing, label);
    }

    /// Ctrl-Z: undoes the latest step and shows where it was.
    pub fn undo(&mut self) -> (bool, String) {
        let moved = self.history.undo(&mut self.file.plan);
        self.moved(moved, "msg.undone", "msg.nothing_to_undo")
    }

    /// Ctrl-Y: redoes the latest undone step.
    pub fn redo(&mut self) -> (bool, String) {
        let moved = self.history.redo(&mut self.file.plan);
        self.moved(moved, "msg.redone", "msg.nothing_to_redo")
    }

    /// Ctrl-Z / Ctrl-Y in a row popup: only what was done since it opened
    /// can be undone there (the popup's Esc goes back to that point).
    pub fn undo_in_row_popup(&mut self, undo: bool) -> (bool, String) {
        if !undo {
            return self.redo();
        }
        if self.history.mark() <= self.row_popup_mark {
            return (false, t("msg.nothing_to_undo").to_string());
        }
        let moved = self.history.undo(&mut self.file.plan);
        let message = self.moved(moved, "msg.undone", "msg.nothing_to_undo");
        // The popup stays open over its step.
        message
    }

    fn moved(&mut self, moved: Moved, done: &str, nothing: &str) -> (bool, String) {
        let Moved::Done(place, label) = moved else {
            return (false, t(nothing).to_string());
        };
        self.changed();
        self.editors_stale();
        if self.popup.is_none() {
            self.go_to(place.step);
            let state = self.state();
            state.focus = place.focus;
            state.rows.extend(place.rows);
        }
        let step = tf("ui.step_n", &[("n", &(place.step.index() + 1))]);
        (false, tf(done, &[("what", &label), ("step", &step)]))
    }
}

/// Applies a step's changes newest first; the result reverts them.
fn revert(entry: Entry, plan: &mut Plan) -> Entry {
    // The reverting changes are kept in the order they were applied: the
    // next revert applies them last first, which replays the original
    // changes oldest first (a joined step's changes can depend on each
    // other: a row added, then typed into).
    let back: Vec<Change> = entry
        .changes
        .into_iter()
        .rev()
        .map(|c| c.apply(plan))
        .collect();
    Entry {
        changes: back,
        place: entry.place,
        label: entry.label,
        serial: entry.serial,
    }
}

/// Whether two changes put back the same part (for coalescing typing).
fn same_part(a: &Change, b: &Change) -> bool {
    match (a, b) {
        (Change::Whole(x), Change::Whole(y)) => {
            std::mem::discriminant(&**x) == std::mem::discriminant(&**y)
        }
        (
            Change::Splice {
                start: s1,
                len: l1,
                items: i1,
            },
            Change::Splice {
                start: s2,
                len: l2,
                items: i2,
            },
        ) => {
            s1 == s2
                && l1 == l2
                && i1.len() == i2.len()
                && std::mem::discriminant(i1) == std::mem::discriminant(i2)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place() -> Place {
        Place {
            step: Step::Kpis,
            focus: 0,
            rows: HashMap::new(),
        }
    }

    fn plan_with_actions(n: usize) -> Plan {
        let mut p = Plan::new("t", None);
        for i in 0..n {
            p.actions.push(Action {
                title: format!("action {i}"),
                ..Action::default()
            });
        }
        p
    }

    #[test]
    fn diff_keeps_only_the_changed_run() {
        assert_eq!(diff(vec![1, 2, 3], &[1, 2, 3]), None);
        assert_eq!(diff(vec![1, 2, 3], &[1, 9, 3]), Some((1, 1, vec![2])));
        assert_eq!(diff(vec![1, 2, 3], &[1, 2, 3, 4]), Some((3, 1, vec![])));
        assert_eq!(diff(vec![1, 2, 3], &[1, 3]), Some((1, 0, vec![2])));
        assert_eq!(
            diff(vec![1, 2, 3, 4], &[1, 3, 2, 4]),
            Some((1, 2, vec![2, 3]))
        );
        assert_eq!(diff(vec![1, 1], &[1]), Some((1, 0, vec![1])));
        assert_eq!(diff(vec![], &[5]), Some((0, 1, vec![])));
    }

    #[test]
    fn moving_a_row_of_many_keeps_two_rows() {
        let mut plan = plan_with_actions(1000);
        let original = plan.clone();
        let mut h = History::default();
        h.prepare(
            &plan,
            &Scope::for_step(Step::Actions, true, 0, 500),
            place(),
            None,
            "edit".into(),
        );
        plan.actions.swap(500, 501);
        h.record(&plan);
        let Change::Splice { items, .. } = &h.undo[0].changes[0] else {
            panic!("a splice");
        };
        assert_eq!(items.len(), 2);
        assert_eq!(h.undo(&mut plan), Moved::Done(place(), "edit".into()));
        assert_eq!(plan, original);
        h.redo(&mut plan);
        assert_eq!(plan.actions[500].title, "action 501");
    }

    #[test]
    fn typing_copies_one_element_and_coalesces() {
        let mut plan = plan_with_actions(3);
        let original = plan.clone();
        let mut h = History::default();
        let origin = Origin {
            step: Step::Actions,
            field: 0,
            popup_field: Some(0),
            item: 0,
            row: 1,
        };
        for c in ['a', 'b', 'c'] {
            let scope = Scope::for_step(Step::Actions, false, 0, 1);
            assert_eq!(scope.elements, vec![(List::Actions, vec![0, 1])]);
            h.prepare(&plan, &scope, place(), Some(origin), "typing".into());
            plan.actions[1].title.push(c);
            h.record(&plan);
        }
        assert_eq!(h.depth(), (1, 0));
        h.undo(&mut plan);
        assert_eq!(plan, original);
        assert_eq!(h.undo(&mut plan), Moved::Nothing);
    }

    #[test]
    fn an_edit_outside_the_copy_clears_the_history() {
        let mut plan = plan_with_actions(3);
        let mut h = History::default();
        h.prepare(
            &plan,
            &Scope::list(List::Actions),
            place(),
            None,
            "edit".into(),
        );
        plan.actions.pop();
        h.record(&plan);
        assert_eq!(h.depth(), (1, 0));
        // Typing-scope copy, but the list changed length: cannot be undone.
        h.prepare(
            &plan,
            &Scope::for_step(Step::Actions, false, 0, 0),
            place(),
            None,
            "edit".into(),
        );
        plan.actions.pop();
        h.record(&plan);
        assert_eq!(h.depth(), (0, 0));
        // No copy at all.
        plan.plan.name.push('x');
        h.record(&plan);
        assert_eq!(h.depth(), (0, 0));
    }

    #[test]
    fn the_history_is_bounded() {
        let mut plan = Plan::new("t", None);
        let mut h = History::default();
        for i in 0..LIMIT + 20 {
            h.prepare(
                &plan,
                &Scope::for_step(Step::Research, false, 0, 0),
                place(),
                None,
                "edit".into(),
            );
            plan.plan.name = format!("name {i}");
            h.record(&plan);
        }
        assert_eq!(h.depth(), (LIMIT, 0));
    }

    #[test]
    fn forgetting_since_a_mark_drops_later_steps() {
        let mut plan = Plan::new("t", None);
        let mut h = History::default();
        h.prepare(
            &plan,
            &Scope::for_step(Step::Research, false, 0, 0),
            place(),
            None,
            "edit".into(),
        );
        plan.plan.name = "one".into();
        h.record(&plan);
        let mark = h.mark();
        h.prepare(
            &plan,
            &Scope::for_step(Step::Research, false, 0, 0),
            place(),
            None,
            "edit".into(),
        );
        plan.plan.name = "two".into();
        h.record(&plan);
        plan.plan.name = "one".into();
        h.forget_since(mark);
        assert_eq!(h.depth(), (1, 0));
        h.undo(&mut plan);
        assert_eq!(plan.plan.name, "t");
    }
}

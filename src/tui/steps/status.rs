//! The snake_case names of the action and tool statuses (for locale keys).

use crate::plan::{ActionStatus, ToolStatus};

pub fn action_status_key(s: ActionStatus) -> &'static str {
    match s {
        ActionStatus::Todo => "todo",
        ActionStatus::Doing => "doing",
        ActionStatus::Done => "done",
        ActionStatus::Dropped => "dropped",
    }
}

pub fn tool_status_key(s: ToolStatus) -> &'static str {
    match s {
        ToolStatus::Evaluating => "evaluating",
        ToolStatus::Adopted => "adopted",
        ToolStatus::Rejected => "rejected",
    }
}

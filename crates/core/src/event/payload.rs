//! The payload keys the engine reads, as typed fields borrowed from the
//! frame: a thin payload (or a rich `data` object), and the inbox row a
//! `notification_created` carries. What each field means is `fields.rs`.

use serde::de::MapAccess;

use super::subject::{ID_KEYS, id_slot};
use super::wire::{Fields, List, Scalar, Shape, ShapeSeed, Skip};

/// The payload keys the engine reads.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Payload<'a> {
    pub(crate) severity: Scalar<'a>,
    pub(crate) subject_type: Scalar<'a>,
    pub(crate) subject_id: Scalar<'a>,
    /// `finding_id`, `scan_id`, … in the subject table's order.
    pub(crate) ids: [Scalar<'a>; ID_KEYS],
    pub(crate) correlation_id: Scalar<'a>,
    pub(crate) timestamp: Scalar<'a>,
    pub(crate) user_id: Scalar<'a>,
    pub(crate) title: Scalar<'a>,
    pub(crate) name: Scalar<'a>,
    /// Boxed, and only once a frame has the key: the row is almost half
    /// the payload's size, and the frames that carry one are few.
    pub(crate) notification: Option<Box<Shape<Row<'a>>>>,
    pub(crate) notification_id: Scalar<'a>,
    pub(crate) assignee_ids: List<'a>,
    pub(crate) assignee_id: Scalar<'a>,
    pub(crate) actor_id: Scalar<'a>,
}

pub(crate) enum PayloadKey {
    Severity,
    SubjectType,
    SubjectId,
    Id(usize),
    CorrelationId,
    Timestamp,
    UserId,
    Title,
    Name,
    Notification,
    NotificationId,
    AssigneeIds,
    AssigneeId,
    ActorId,
    Other,
}

impl From<&str> for PayloadKey {
    fn from(key: &str) -> Self {
        match key {
            "severity" => PayloadKey::Severity,
            "subject_type" => PayloadKey::SubjectType,
            "subject_id" => PayloadKey::SubjectId,
            "correlation_id" => PayloadKey::CorrelationId,
            "timestamp" => PayloadKey::Timestamp,
            "user_id" => PayloadKey::UserId,
            "title" => PayloadKey::Title,
            "name" => PayloadKey::Name,
            "notification" => PayloadKey::Notification,
            "notification_id" => PayloadKey::NotificationId,
            "assignee_ids" => PayloadKey::AssigneeIds,
            "assignee_id" => PayloadKey::AssigneeId,
            "actor_id" => PayloadKey::ActorId,
            other => id_slot(other).map_or(PayloadKey::Other, PayloadKey::Id),
        }
    }
}

impl<'de> Fields<'de> for Payload<'de> {
    type Key = PayloadKey;
    fn read<A: MapAccess<'de>>(&mut self, key: PayloadKey, map: &mut A) -> Result<(), A::Error> {
        match key {
            PayloadKey::Severity => self.severity = map.next_value()?,
            PayloadKey::SubjectType => self.subject_type = map.next_value()?,
            PayloadKey::SubjectId => self.subject_id = map.next_value()?,
            PayloadKey::Id(slot) => self.ids[slot] = map.next_value()?,
            PayloadKey::CorrelationId => self.correlation_id = map.next_value()?,
            PayloadKey::Timestamp => self.timestamp = map.next_value()?,
            PayloadKey::UserId => self.user_id = map.next_value()?,
            PayloadKey::Title => self.title = map.next_value()?,
            PayloadKey::Name => self.name = map.next_value()?,
            PayloadKey::Notification => {
                let row = self.notification.get_or_insert_with(Box::default);
                map.next_value_seed(ShapeSeed(row))?
            }
            PayloadKey::NotificationId => self.notification_id = map.next_value()?,
            PayloadKey::AssigneeIds => self.assignee_ids = map.next_value()?,
            PayloadKey::AssigneeId => self.assignee_id = map.next_value()?,
            PayloadKey::ActorId => self.actor_id = map.next_value()?,
            PayloadKey::Other => {
                map.next_value::<Skip>()?;
            }
        }
        Ok(())
    }
}

/// The inbox row inside a `notification_created` payload.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Row<'a> {
    pub(crate) id: Scalar<'a>,
    pub(crate) user_id: Scalar<'a>,
    pub(crate) title: Scalar<'a>,
    pub(crate) name: Scalar<'a>,
    pub(crate) body: Scalar<'a>,
    pub(crate) read: Scalar<'a>,
    pub(crate) event_type: Scalar<'a>,
    pub(crate) created_at: Scalar<'a>,
    pub(crate) data: Shape<RowData<'a>>,
}

pub(crate) enum RowKey {
    Id,
    UserId,
    Title,
    Name,
    Body,
    Read,
    EventType,
    CreatedAt,
    Data,
    Other,
}

impl From<&str> for RowKey {
    fn from(key: &str) -> Self {
        match key {
            "id" => RowKey::Id,
            "user_id" => RowKey::UserId,
            "title" => RowKey::Title,
            "name" => RowKey::Name,
            "body" => RowKey::Body,
            "read" => RowKey::Read,
            "event_type" => RowKey::EventType,
            "created_at" => RowKey::CreatedAt,
            "data" => RowKey::Data,
            _ => RowKey::Other,
        }
    }
}

impl<'de> Fields<'de> for Row<'de> {
    type Key = RowKey;
    fn read<A: MapAccess<'de>>(&mut self, key: RowKey, map: &mut A) -> Result<(), A::Error> {
        match key {
            RowKey::Id => self.id = map.next_value()?,
            RowKey::UserId => self.user_id = map.next_value()?,
            RowKey::Title => self.title = map.next_value()?,
            RowKey::Name => self.name = map.next_value()?,
            RowKey::Body => self.body = map.next_value()?,
            RowKey::Read => self.read = map.next_value()?,
            RowKey::EventType => self.event_type = map.next_value()?,
            RowKey::CreatedAt => self.created_at = map.next_value()?,
            RowKey::Data => map.next_value_seed(ShapeSeed(&mut self.data))?,
            RowKey::Other => {
                map.next_value::<Skip>()?;
            }
        }
        Ok(())
    }
}

/// An inbox row's `data` object: the severity and the subject's id.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct RowData<'a> {
    pub(crate) severity: Scalar<'a>,
    pub(crate) ids: [Scalar<'a>; ID_KEYS],
}

pub(crate) enum RowDataKey {
    Severity,
    Id(usize),
    Other,
}

impl From<&str> for RowDataKey {
    fn from(key: &str) -> Self {
        match key {
            "severity" => RowDataKey::Severity,
            other => id_slot(other).map_or(RowDataKey::Other, RowDataKey::Id),
        }
    }
}

impl<'de> Fields<'de> for RowData<'de> {
    type Key = RowDataKey;
    fn read<A: MapAccess<'de>>(&mut self, key: RowDataKey, map: &mut A) -> Result<(), A::Error> {
        match key {
            RowDataKey::Severity => self.severity = map.next_value()?,
            RowDataKey::Id(slot) => self.ids[slot] = map.next_value()?,
            RowDataKey::Other => {
                map.next_value::<Skip>()?;
            }
        }
        Ok(())
    }
}

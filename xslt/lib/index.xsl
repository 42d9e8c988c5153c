<?xml version="1.0" encoding="UTF-8"?>
<!--
  The data of an index (persons, places, organisations or works) as st:entry
  elements, sorted; every rendering (HTML, JSON, CSV) starts from this model.
  Input, one of: a TEI document or a teiCorpus of edition documents; the
  documents' mention records (an st:index of st:mentions, lib/mentions.xsl), which
  is what `build` passes, so the texts are read once; or the entries already
  computed (an st:entries, index-model.xsl). The authority files come in the
  $authority parameter (lib/common.xsl).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <xsl:import href="mentions.xsl"/>
  <xsl:import href="idno.xsl"/>

  <!-- person | place | org | work: set by each entry stylesheet. -->
  <xsl:variable name="st:kind" as="xs:string" select="'person'"/>

  <xsl:variable name="st:collation" as="xs:string"
      select="'http://www.w3.org/2013/collation/UCA?lang=en;strength=primary;fallback=yes'"/>

  <xsl:variable name="st:kind-labels" as="map(xs:string, xs:string+)" select="map{
      'person': ('Persons', 'person', 'persons'), 'place': ('Places', 'place', 'places'),
      'org': ('Organisations', 'organisation', 'organisations'),
      'work': ('Works', 'work', 'works')}"/>

  <!-- The mention records under $root: as given (an st:index of st:mentions, the build's
       input), or made here from the TEI documents under $root (a document or a teiCorpus). -->
  <xsl:function name="st:records" as="element(st:mentions)*">
    <xsl:param name="root" as="node()"/>
    <xsl:sequence select="if ($root/st:index) then $root/st:index/st:mentions
        else $root//tei:TEI[not(ancestor::tei:TEI)] ! st:mentions(., st:docid(.))"/>
  </xsl:function>

  <!-- The sorted entries of kind $st:kind mentioned in the text of the documents under $root,
       or those already computed when $root is an st:entries document (index-model.xsl). -->
  <xsl:function name="st:index-entries" as="element(st:entry)*">
    <xsl:param name="root" as="node()"/>
    <xsl:sequence select="if ($root/st:entries) then $root/st:entries/st:entry
        else st:compute-entries($root)"/>
  </xsl:function>

  <!-- The entries computed from the records under $root. -->
  <xsl:function name="st:compute-entries" as="element(st:entry)*">
    <xsl:param name="root" as="node()"/>
    <xsl:variable name="mentions" select="st:records($root)/st:m[@kind = $st:kind]"/>
    <xsl:variable name="entries" as="element(st:entry)*">
      <xsl:for-each-group select="$mentions" group-by="@entry">
        <xsl:sequence select="st:entry(current-grouping-key(), current-group())"/>
      </xsl:for-each-group>
    </xsl:variable>
    <!-- Surname first, on its own: the collation ignores spaces, and 'Lam Wifredo' must come
         before 'Lamba Jacqueline'. Punctuation is left out ('O’Callaghan' before 'Orwell'). -->
    <xsl:perform-sort select="$entries">
      <xsl:sort select="st:sort-form(@surname)" collation="{$st:collation}"/>
      <xsl:sort select="st:sort-form(@sort)" collation="{$st:collation}"/>
      <xsl:sort select="@name" collation="{$st:collation}"/>
      <xsl:sort select="@id"/>
    </xsl:perform-sort>
  </xsl:function>

  <xsl:function name="st:entry" as="element(st:entry)">
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="mentions" as="element(st:m)+"/>
    <xsl:variable name="first" select="$mentions[1]"/>
    <xsl:variable name="entity" select="st:record-entity($first)"/>
    <xsl:variable name="name" select="if ($entity) then st:entity-name($entity)
        else string($first/@text)"/>
    <xsl:variable name="sort-key" select="if ($entity) then st:sort-key($entity, ())
        else string($first/@sort-key)"/>
    <xsl:variable name="sort" select="replace($sort-key, '^[^\p{L}\p{N}]+', '')"/>
    <st:entry id="{$id}" name="{$name}" sort="{$sort}" letter="{st:letter($sort)}"
        surname="{if ($entity) then st:surname($entity, ()) else $first/@surname}"
        authority="{exists($entity)}">
      <xsl:if test="$entity">
        <xsl:attribute name="life" select="st:life($entity)"/>
        <xsl:attribute name="birth" select="st:iso($entity/tei:birth[1])"/>
        <xsl:attribute name="death" select="st:iso($entity/tei:death[1])"/>
        <xsl:attribute name="identification" select="st:identification($entity)"/>
      </xsl:if>
      <xsl:sequence select="st:identifiers($entity)"/>
      <xsl:for-each select="distinct-values($mentions/@text)">
        <st:variant><xsl:value-of select="."/></st:variant>
      </xsl:for-each>
      <xsl:for-each-group select="$mentions" group-by="../@doc">
        <st:doc id="{current-grouping-key()}" count="{count(current-group())}"
            title="{../@title}" short="{(../@short, ../@title)[1]}">
          <xsl:for-each select="current-group()">
            <st:occurrence anchor="{@anchor}" text="{@text}">
              <xsl:sequence select="@where, @before, @after"/>
            </st:occurrence>
          </xsl:for-each>
        </st:doc>
      </xsl:for-each-group>
    </st:entry>
  </xsl:function>

  <!-- Persons sort by surname (without nameLink: 'von Humboldt' under H), then forenames. -->
  <xsl:function name="st:sort-key" as="xs:string">
    <xsl:param name="entity" as="element()?"/>
    <xsl:param name="mention" as="element()?"/>
    <xsl:variable name="name" select="if ($entity) then st:preferred($entity) else $mention"/>
    <xsl:variable name="surname" select="($name//tei:surname)[1]"/>
    <xsl:variable name="work" select="exists(($entity/(self::tei:bibl | self::tei:biblStruct),
        $mention/(self::tei:title | self::tei:rs[@type = ('work', 'bibl')])))"/>
    <xsl:sequence select="if ($surname) then string-join((st:plain($surname),
            $name//tei:forename ! st:plain(.)), ' ')
        else if ($work) then st:without-article(if ($entity) then st:entity-name($entity)
            else st:plain($mention))
        else if ($entity) then st:entity-name($entity) else st:plain($mention)"/>
  </xsl:function>

  <!-- A title without its leading article: works are filed under 'Case of…', not 'The'. -->
  <xsl:function name="st:without-article" as="xs:string">
    <xsl:param name="title" as="xs:string"/>
    <xsl:variable name="rest" select="replace($title, '^[\p{P}\s]*((the|an?|les?|la|l[''’]|der|die|das|des|den|dem|ein|eine|el|los|las|il|lo|gli|une?|het|een)\s+|(l[''’]))', '', 'i')"/>
    <xsl:sequence select="if (normalize-space($rest)) then $rest else $title"/>
  </xsl:function>

  <!-- The surname alone (the whole sort key when the name has no surname). -->
  <xsl:function name="st:surname" as="xs:string">
    <xsl:param name="entity" as="element()?"/>
    <xsl:param name="mention" as="element()?"/>
    <xsl:variable name="name" select="if ($entity) then st:preferred($entity) else $mention"/>
    <xsl:variable name="surname" select="($name//tei:surname)[1]"/>
    <xsl:sequence select="if ($surname) then st:plain($surname)
        else replace(st:sort-key($entity, $mention), '^[^\p{L}\p{N}]+', '')"/>
  </xsl:function>

  <!-- A sort key without punctuation and symbols, spaces normalised. -->
  <xsl:function name="st:sort-form" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="normalize-space(replace($key, '[\p{P}\p{S}]', ''))"/>
  </xsl:function>

  <!-- The index letter: the base letter, upper case ('É' under E); '#' for non-letters. -->
  <xsl:function name="st:letter" as="xs:string">
    <xsl:param name="sort" as="xs:string"/>
    <xsl:variable name="base" select="upper-case(substring(
        replace(normalize-unicode($sort, 'NFD'), '\p{Mn}', ''), 1, 1))"/>
    <xsl:sequence select="if (matches($base, '^\p{L}$')) then $base else '#'"/>
  </xsl:function>

  <xsl:function name="st:iso" as="xs:string">
    <xsl:param name="event" as="element()?"/>
    <xsl:variable name="value" select="string(($event/@when, $event/@notBefore)[1])"/>
    <xsl:sequence select="if (matches($value, '^\d{4}(-\d{2}(-\d{2})?)?$')) then $value else ''"/>
  </xsl:function>

  <xsl:function name="st:letter-id" as="xs:string">
    <xsl:param name="letter" as="xs:string"/>
    <xsl:sequence select="'letter-' || (if ($letter = '#') then 'other' else $letter)"/>
  </xsl:function>

</xsl:stylesheet>
